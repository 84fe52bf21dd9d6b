rule=: %word1:word% %num:number% %ip:ipv4% %rest:rest%
rule=: user %user:word% logged in from %src:ipv4% port %port:number%
rule=: quoted %q:quoted-string% then %r:rest%
rule=: key=%k:char-to:;%;%rest:rest%
rule=tagged: tagged %x:word%
