rule=: user %user:word% logged in from %src:ipv4% port %port:number%
