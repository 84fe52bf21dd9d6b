rule=: at %d:date-rfc3164% %rest:rest%
rule=: %kt:kernel-timestamp% %rest:rest%
rule=: payload %j:json%
