# iptables LOG lines: with an output interface and DF, and for locally received packets (empty OUT=)
rule=:%-:char-to:I%IN=%in:word% OUT=%out:word% MAC=%mac:word% SRC=%src:ipv4% DST=%dst:ipv4% LEN=%len:number% TOS=%tos:word% PREC=%prec:word% TTL=%ttl:number% ID=%id:number% DF PROTO=%proto:word% SPT=%spt:number% DPT=%dpt:number% %-:rest%
rule=:%-:char-to:I%IN=%in:word% OUT= MAC=%mac:word% SRC=%src:ipv4% DST=%dst:ipv4% LEN=%len:number% TOS=%tos:word% PREC=%prec:word% TTL=%ttl:number% ID=%id:number% PROTO=%proto:word% SPT=%spt:number% DPT=%dpt:number% %-:rest%
