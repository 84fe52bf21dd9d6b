rule=:<%pri:number%>%date:date-rfc3164% %host:word% %tag:char-to::%: %rest:rest%
