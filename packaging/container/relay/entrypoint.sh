#!/bin/sh
# Configures Postfix from the environment, then runs it in the foreground (logs to stdout).
#   DESK_DOMAIN     the support domain (support@DESK_DOMAIN reaches Chamado)
#   CHAMADO_LMTP    where Chamado's LMTP listener is, host:port
#   RELAYHOST       smart host for outgoing mail, "[smtp.example.com]:587"; empty: deliver directly
#   MAIL_HOSTNAME   this relay's name in the SMTP greeting
#   TRUSTED_NETWORKS  who may send through it (the compose network)
set -eu
postconf -e \
  "myhostname=${MAIL_HOSTNAME:-mail.${DESK_DOMAIN}}" \
  "mydestination=" \
  "relay_domains=${DESK_DOMAIN}" \
  "transport_maps=inline:{ ${DESK_DOMAIN}=lmtp:inet:${CHAMADO_LMTP} }" \
  "mynetworks=127.0.0.0/8 [::1]/128 ${TRUSTED_NETWORKS:-}" \
  "relayhost=${RELAYHOST:-}" \
  "smtpd_relay_restrictions=permit_mynetworks,reject_unauth_destination" \
  "maillog_file=/dev/stdout" \
  "inet_protocols=ipv4"
cp /etc/resolv.conf /var/spool/postfix/etc/resolv.conf 2>/dev/null || true
exec postfix start-fg
