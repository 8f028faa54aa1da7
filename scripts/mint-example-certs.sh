#!/usr/bin/env bash
# Re-mints every certificate and key in the example node trees (examples/nodes/*) and rewrites the
# kubeconfigs that embed them. The keys are throw-away example keys: fine to commit, never to use.
#
#   scripts/mint-example-certs.sh        # then: node scripts/setup-examples.js
#
# Needs openssl (1.1.1 or 3.x) and GNU date. Validity dates are fixed (not "now") so that the file
# names the kubelet gives its rotated certificates (kubelet-client-<time>.pem) match the certificates
# in them; the good certificates run for 36500 days (until 2125), the insecure example's serving
# certificate expired in 2021. `openssl ca` is used instead of `openssl x509 -days` because only it
# can set a notBefore in the past on every openssl version (`-not_before` needs openssl 3.4+).
set -euo pipefail

cd "$(dirname "$0")/.."
EX=examples/nodes
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/ca.cnf" <<'EOF'
[ ca ]
default_ca = example_ca
[ example_ca ]
dir            = $ENV::MINT_WORK
database       = $dir/index.txt
serial         = $dir/serial
new_certs_dir  = $dir/issued
default_md     = sha256
policy         = any_dn
unique_subject = no
email_in_dn    = no
copy_extensions = none
[ any_dn ]
countryName            = optional
stateOrProvinceName    = optional
localityName           = optional
organizationName       = optional
organizationalUnitName = optional
commonName             = supplied
EOF
mkdir -p "$WORK/issued"
export MINT_WORK="$WORK"

# asn1 time for openssl ca: "2026-11-01 10:00:00" -> 20261101100000Z
at() { date -u -d "$1 UTC" +%Y%m%d%H%M%SZ; }
# the same moment plus 36500 days
plus100y() { date -u -d "@$(( $(date -u -d "$1 UTC" +%s) + 36500 * 86400 ))" +%Y%m%d%H%M%SZ; }
unix() { date -u -d "$1 UTC" +%s; }

ec_key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1"; }          # SEC1 "EC PRIVATE KEY", as the kubelet writes
rsa_key() { openssl genrsa -traditional -out "$1" "$2" 2>/dev/null; }           # PKCS#1 "RSA PRIVATE KEY", as kubeadm/cfssl write

# issue SUBJECT KEY OUT NOT_BEFORE NOT_AFTER EXTENSIONS [CA_CERT CA_KEY]
#   EXTENSIONS: ";"-separated x509v3 lines. Without CA_CERT the certificate is self-signed.
issue() {
  local subj=$1 key=$2 out=$3 nb=$4 na=$5 ext=$6 cacrt=${7:-} cakey=${8:-}
  { echo '[ ext ]'; tr ';' '\n' <<<"$ext"; } > "$WORK/ext.cnf"
  openssl req -new -key "$key" -subj "$subj" -out "$WORK/req.csr"
  : > "$WORK/index.txt"
  openssl rand -hex 16 > "$WORK/serial"
  local signer=(-selfsign -keyfile "$key")
  [ -n "$cacrt" ] && signer=(-cert "$cacrt" -keyfile "$cakey")
  if ! openssl ca -batch -config "$WORK/ca.cnf" "${signer[@]}" -in "$WORK/req.csr" -out "$out" \
      -startdate "$nb" -enddate "$na" -extfile "$WORK/ext.cnf" -extensions ext \
      -preserveDN -notext 2> "$WORK/ca.log"; then
    cat "$WORK/ca.log" >&2
    exit 1
  fi
}

b64() { base64 -w0 < "$1"; }

CA_EXT='basicConstraints=critical,CA:TRUE;keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign;subjectKeyIdentifier=hash'
CLIENT_EXT_EC='basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature;extendedKeyUsage=clientAuth;authorityKeyIdentifier=keyid'

# kubeconfig the kubelet writes after TLS bootstrap (kubelet's writeKubeconfigFromBootstrapping,
# serialised by client-go clientcmd): the rotating client cert+key file is both cert and key.
bootstrap_kubeconfig() { # CA_FILE SERVER
  cat <<EOF
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $(b64 "$1")
    server: $2
  name: default-cluster
contexts:
- context:
    cluster: default-cluster
    namespace: default
    user: default-auth
  name: default-context
current-context: default-context
kind: Config
preferences: {}
users:
- name: default-auth
  user:
    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
EOF
}

# ---------------------------------------------------------------- kubeadm-worker (kubeadm join, 1.33)
N=$EX/kubeadm-worker
mkdir -p "$N/etc/kubernetes/pki" "$N/var/lib/kubelet/pki"
rsa_key "$WORK/kw-ca.key" 2048
issue "/CN=kubernetes" "$WORK/kw-ca.key" "$N/etc/kubernetes/pki/ca.crt" \
  "$(at '2026-10-30 07:55:00')" "$(plus100y '2026-10-30 07:55:00')" "$CA_EXT"

# rotating client certificate, issued through a CSR by kube-controller-manager's kubelet-client signer
ec_key "$WORK/kw-client.key"
issue "/O=system:nodes/CN=system:node:worker-1" "$WORK/kw-client.key" "$WORK/kw-client.crt" \
  "$(at '2026-11-01 09:55:00')" "$(plus100y '2026-11-01 09:55:00')" "$CLIENT_EXT_EC" \
  "$N/etc/kubernetes/pki/ca.crt" "$WORK/kw-ca.key"
cat "$WORK/kw-client.crt" "$WORK/kw-client.key" > "$N/var/lib/kubelet/pki/kubelet-client-2026-11-01-10-00-00.pem"
# The kubelet itself links with an absolute target; this example uses a relative one on purpose
# (the other examples use absolute ones), so both kinds are exercised.
ln -sfn kubelet-client-2026-11-01-10-00-00.pem "$N/var/lib/kubelet/pki/kubelet-client-current.pem"

# self-signed serving pair, as the kubelet writes it (client-go certutil.GenerateSelfSignedCertKey):
# a throw-away CA "<host>-ca@<unix>" and a leaf "<host>@<unix>"; kubelet.crt holds leaf + CA.
TS=$(unix '2026-11-01 10:00:00')
rsa_key "$WORK/kw-ss-ca.key" 2048
issue "/CN=worker-1-ca@$TS" "$WORK/kw-ss-ca.key" "$WORK/kw-ss-ca.crt" \
  "$(at '2026-11-01 09:00:00')" "$(plus100y '2026-11-01 09:00:00')" "$CA_EXT"
rsa_key "$N/var/lib/kubelet/pki/kubelet.key" 2048
issue "/CN=worker-1@$TS" "$N/var/lib/kubelet/pki/kubelet.key" "$WORK/kw-ss.crt" \
  "$(at '2026-11-01 09:00:00')" "$(plus100y '2026-11-01 09:00:00')" \
  'basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature,keyEncipherment;extendedKeyUsage=serverAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:worker-1' \
  "$WORK/kw-ss-ca.crt" "$WORK/kw-ss-ca.key"
cat "$WORK/kw-ss.crt" "$WORK/kw-ss-ca.crt" > "$N/var/lib/kubelet/pki/kubelet.crt"

bootstrap_kubeconfig "$N/etc/kubernetes/pki/ca.crt" https://10.0.0.10:6443 > "$N/etc/kubernetes/kubelet.conf"

# ---------------------------------------------------------------- legacy-flags (hand install, flags only)
N=$EX/legacy-flags
mkdir -p "$N/var/lib/kubernetes" "$N/var/lib/kubelet" "$N/var/lib/kube-proxy"
DN='/C=US/ST=Oregon/L=Portland'
rsa_key "$WORK/lf-ca.key" 2048
issue "$DN/O=Kubernetes/OU=CA/CN=Kubernetes" "$WORK/lf-ca.key" "$N/var/lib/kubernetes/ca.pem" \
  "$(at '2026-06-01 12:00:00')" "$(plus100y '2026-06-01 12:00:00')" "$CA_EXT"
rsa_key "$N/var/lib/kubelet/worker-0-key.pem" 2048
issue "$DN/O=system:nodes/OU=Kubernetes The Hard Way/CN=system:node:worker-0" \
  "$N/var/lib/kubelet/worker-0-key.pem" "$N/var/lib/kubelet/worker-0.pem" \
  "$(at '2026-06-01 12:05:00')" "$(plus100y '2026-06-01 12:05:00')" \
  'basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature,keyEncipherment;extendedKeyUsage=serverAuth,clientAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:worker-0,IP:10.240.0.20' \
  "$N/var/lib/kubernetes/ca.pem" "$WORK/lf-ca.key"
rsa_key "$WORK/lf-proxy.key" 2048
issue "$DN/O=system:node-proxier/OU=Kubernetes The Hard Way/CN=system:kube-proxy" \
  "$WORK/lf-proxy.key" "$WORK/lf-proxy.crt" \
  "$(at '2026-06-01 12:05:00')" "$(plus100y '2026-06-01 12:05:00')" \
  'basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature,keyEncipherment;extendedKeyUsage=clientAuth;authorityKeyIdentifier=keyid' \
  "$N/var/lib/kubernetes/ca.pem" "$WORK/lf-ca.key"

embedded_kubeconfig() { # CA CERT KEY USER
  cat <<EOF
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $(b64 "$1")
    server: https://10.240.0.10:6443
  name: kubernetes-the-hard-way
contexts:
- context:
    cluster: kubernetes-the-hard-way
    user: $4
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: $4
  user:
    client-certificate-data: $(b64 "$2")
    client-key-data: $(b64 "$3")
EOF
}
embedded_kubeconfig "$N/var/lib/kubernetes/ca.pem" "$N/var/lib/kubelet/worker-0.pem" \
  "$N/var/lib/kubelet/worker-0-key.pem" system:node:worker-0 > "$N/var/lib/kubelet/kubeconfig"
embedded_kubeconfig "$N/var/lib/kubernetes/ca.pem" "$WORK/lf-proxy.crt" "$WORK/lf-proxy.key" \
  system:kube-proxy > "$N/var/lib/kube-proxy/kubeconfig"

# ---------------------------------------------------------------- eks-al2023 (nodeadm)
N=$EX/eks-al2023
mkdir -p "$N/etc/kubernetes/pki" "$N/var/lib/kubelet/pki"
rsa_key "$WORK/eks-ca.key" 2048
issue "/CN=kubernetes" "$WORK/eks-ca.key" "$N/etc/kubernetes/pki/ca.crt" \
  "$(at '2026-09-15 18:20:00')" "$(plus100y '2026-09-15 18:20:00')" "$CA_EXT"
# serverTLSBootstrap: true -> serving certificate from a kubernetes.io/kubelet-serving CSR
HOST=ip-10-0-10-220.us-west-2.compute.internal
ec_key "$WORK/eks-srv.key"
issue "/O=system:nodes/CN=system:node:$HOST" "$WORK/eks-srv.key" "$WORK/eks-srv.crt" \
  "$(at '2026-11-20 08:10:42')" "$(plus100y '2026-11-20 08:10:42')" \
  "basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature;extendedKeyUsage=serverAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:$HOST,IP:10.0.10.220" \
  "$N/etc/kubernetes/pki/ca.crt" "$WORK/eks-ca.key"
cat "$WORK/eks-srv.crt" "$WORK/eks-srv.key" > "$N/var/lib/kubelet/pki/kubelet-server-2026-11-20-08-15-42.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-server-2026-11-20-08-15-42.pem "$N/var/lib/kubelet/pki/kubelet-server-current.pem"

# ---------------------------------------------------------------- insecure
N=$EX/insecure
mkdir -p "$N/etc/kubernetes/pki" "$N/var/lib/kubelet/pki"
rsa_key "$WORK/in-ca.key" 2048
issue "/CN=kubernetes" "$WORK/in-ca.key" "$N/etc/kubernetes/pki/ca.crt" \
  "$(at '2026-03-01 09:00:00')" "$(plus100y '2026-03-01 09:00:00')" "$CA_EXT"
ec_key "$WORK/in-client.key"
issue "/O=system:nodes/CN=system:node:node-x" "$WORK/in-client.key" "$WORK/in-client.crt" \
  "$(at '2026-03-02 14:25:11')" "$(plus100y '2026-03-02 14:25:11')" "$CLIENT_EXT_EC" \
  "$N/etc/kubernetes/pki/ca.crt" "$WORK/in-ca.key"
cat "$WORK/in-client.crt" "$WORK/in-client.key" > "$N/var/lib/kubelet/pki/kubelet-client-2026-03-02-14-30-11.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-client-2026-03-02-14-30-11.pem "$N/var/lib/kubelet/pki/kubelet-client-current.pem"
# tlsCertFile/tlsPrivateKeyFile: self-signed RSA-1024, expired on 2021-01-01
rsa_key "$N/var/lib/kubelet/pki/node-x.key" 1024
issue "/CN=node-x" "$N/var/lib/kubelet/pki/node-x.key" "$N/var/lib/kubelet/pki/node-x.crt" \
  "$(at '2020-01-01 00:00:00')" "$(at '2021-01-01 00:00:00')" \
  'basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature,keyEncipherment;extendedKeyUsage=serverAuth;subjectAltName=DNS:node-x'
bootstrap_kubeconfig "$N/etc/kubernetes/pki/ca.crt" https://10.0.0.10:6443 > "$N/etc/kubernetes/kubelet.conf"
