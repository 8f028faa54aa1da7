#!/usr/bin/env bash
# Re-mints every certificate and key in the example node trees (examples/nodes/*) and rewrites the
# kubeconfigs that embed them. The keys are throw-away example keys: fine to commit, never to use.
#
#   scripts/mint-example-certs.sh        # then: node scripts/setup-examples.js
#   scripts/mint-example-certs.sh NAME...   # only these examples (the others keep their keys)
#
# Needs openssl (1.1.1 or 3.x) and GNU date. Validity dates are fixed (not "now") so that the file
# names the kubelet gives its rotated certificates (kubelet-client-<time>.pem) match the certificates
# in them; the good certificates run for 36500 days (until 2125), the insecure example's serving
# certificate expired in 2021. `openssl ca` is used instead of `openssl x509 -days` because only it
# can set a notBefore in the past on every openssl version (`-not_before` needs openssl 3.4+).
set -euo pipefail

cd "$(dirname "$0")/.."
EX=examples/nodes
ALL="kubeadm-worker legacy-flags eks-al2023 insecure kubeadm-control-plane kubeadm-control-plane-insecure eks-al2 aks gke bottlerocket openshift-worker microk8s kind talos k3s-server rke2-agent"
for name in "$@"; do
  [[ " $ALL " == *" $name "* ]] || { echo "mint-example-certs: unknown example \"$name\" (one of: $ALL)" >&2; exit 2; }
done
ONLY=" $* "
# want NAME: mint this example? (all of them when no names are given)
want() { [ $# -eq 1 ] && { [ "$ONLY" = "  " ] || [[ "$ONLY" == *" $1 "* ]]; }; }
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
if want kubeadm-worker; then
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

fi # kubeadm-worker

# ---------------------------------------------------------------- legacy-flags (hand install, flags only)
if want legacy-flags; then
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

fi # legacy-flags

# ---------------------------------------------------------------- eks-al2023 (nodeadm)
if want eks-al2023; then
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

fi # eks-al2023

# ---------------------------------------------------------------- eks-al2 (bootstrap.sh)
if want eks-al2; then
N=$EX/eks-al2
mkdir -p "$N/etc/kubernetes/pki" "$N/var/lib/kubelet/pki"
rsa_key "$WORK/eks2-ca.key" 2048
issue "/CN=kubernetes" "$WORK/eks2-ca.key" "$N/etc/kubernetes/pki/ca.crt" \
  "$(at '2026-09-15 18:20:00')" "$(plus100y '2026-09-15 18:20:00')" "$CA_EXT"
# serverTLSBootstrap: true (templates/al2/runtime/kubelet-config.json) -> kubelet-serving CSR
HOST=ip-10-0-10-220.us-west-2.compute.internal
ec_key "$WORK/eks2-srv.key"
issue "/O=system:nodes/CN=system:node:$HOST" "$WORK/eks2-srv.key" "$WORK/eks2-srv.crt" \
  "$(at '2026-11-18 09:20:11')" "$(plus100y '2026-11-18 09:20:11')" \
  "basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature;extendedKeyUsage=serverAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:$HOST,IP:10.0.10.220" \
  "$N/etc/kubernetes/pki/ca.crt" "$WORK/eks2-ca.key"
cat "$WORK/eks2-srv.crt" "$WORK/eks2-srv.key" > "$N/var/lib/kubelet/pki/kubelet-server-2026-11-18-09-25-11.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-server-2026-11-18-09-25-11.pem "$N/var/lib/kubelet/pki/kubelet-server-current.pem"
fi # eks-al2

# ---------------------------------------------------------------- aks (AgentBaker)
if want aks; then
N=$EX/aks
mkdir -p "$N/etc/kubernetes/certs" "$N/var/lib/kubelet/pki"
HOST=aks-nodepool1-12345678-vmss000000
rsa_key "$WORK/aks-ca.key" 4096
issue "/CN=ca" "$WORK/aks-ca.key" "$N/etc/kubernetes/certs/ca.crt" \
  "$(at '2026-10-02 11:04:00')" "$(plus100y '2026-10-02 11:04:00')" "$CA_EXT"
# TLS bootstrap (10-tlsbootstrap.conf): the rotating client certificate
ec_key "$WORK/aks-client.key"
issue "/O=system:nodes/CN=system:node:$HOST" "$WORK/aks-client.key" "$WORK/aks-client.crt" \
  "$(at '2026-11-10 14:02:31')" "$(plus100y '2026-11-10 14:02:31')" "$CLIENT_EXT_EC" \
  "$N/etc/kubernetes/certs/ca.crt" "$WORK/aks-ca.key"
cat "$WORK/aks-client.crt" "$WORK/aks-client.key" > "$N/var/lib/kubelet/pki/kubelet-client-2026-11-10-14-07-31.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-client-2026-11-10-14-07-31.pem "$N/var/lib/kubelet/pki/kubelet-client-current.pem"
# serving certificate rotation (serverTLSBootstrap: true, label kubelet-serving-ca=cluster)
ec_key "$WORK/aks-srv.key"
issue "/O=system:nodes/CN=system:node:$HOST" "$WORK/aks-srv.key" "$WORK/aks-srv.crt" \
  "$(at '2026-11-10 14:02:33')" "$(plus100y '2026-11-10 14:02:33')" \
  "basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature;extendedKeyUsage=serverAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:$HOST,IP:10.224.0.4" \
  "$N/etc/kubernetes/certs/ca.crt" "$WORK/aks-ca.key"
cat "$WORK/aks-srv.crt" "$WORK/aks-srv.key" > "$N/var/lib/kubelet/pki/kubelet-server-2026-11-10-14-07-33.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-server-2026-11-10-14-07-33.pem "$N/var/lib/kubelet/pki/kubelet-server-current.pem"
bootstrap_kubeconfig "$N/etc/kubernetes/certs/ca.crt" https://example-aks-dns-0a1b2c3d.hcp.eastus.azmk8s.io:443 > "$N/var/lib/kubelet/kubeconfig"
fi # aks

# ---------------------------------------------------------------- gke (GCE reference, cluster/gce)
if want gke; then
N=$EX/gke
mkdir -p "$N/etc/srv/kubernetes/pki" "$N/var/lib/kubelet/pki"
HOST=gke-example-gke-default-pool-1a2b3c4d-x7k9
rsa_key "$WORK/gke-ca.key" 2048
issue "/CN=0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9" "$WORK/gke-ca.key" "$N/etc/srv/kubernetes/pki/ca-certificates.crt" \
  "$(at '2026-10-20 08:00:00')" "$(plus100y '2026-10-20 08:00:00')" "$CA_EXT"
ec_key "$WORK/gke-client.key"
issue "/O=system:nodes/CN=system:node:$HOST" "$WORK/gke-client.key" "$WORK/gke-client.crt" \
  "$(at '2026-11-18 09:14:02')" "$(plus100y '2026-11-18 09:14:02')" "$CLIENT_EXT_EC" \
  "$N/etc/srv/kubernetes/pki/ca-certificates.crt" "$WORK/gke-ca.key"
cat "$WORK/gke-client.crt" "$WORK/gke-client.key" > "$N/var/lib/kubelet/pki/kubelet-client-2026-11-18-09-19-02.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-client-2026-11-18-09-19-02.pem "$N/var/lib/kubelet/pki/kubelet-client-current.pem"
# no tlsCertFile, no serverTLSBootstrap in the reference kubelet-config.yaml: the kubelet's own
# self-signed pair in --cert-dir (client-go certutil.GenerateSelfSignedCertKey)
TS=$(unix '2026-11-18 09:14:00')
rsa_key "$WORK/gke-ss-ca.key" 2048
issue "/CN=$HOST-ca@$TS" "$WORK/gke-ss-ca.key" "$WORK/gke-ss-ca.crt" \
  "$(at '2026-11-18 08:14:00')" "$(plus100y '2026-11-18 08:14:00')" "$CA_EXT"
rsa_key "$N/var/lib/kubelet/pki/kubelet.key" 2048
issue "/CN=$HOST@$TS" "$N/var/lib/kubelet/pki/kubelet.key" "$WORK/gke-ss.crt" \
  "$(at '2026-11-18 08:14:00')" "$(plus100y '2026-11-18 08:14:00')" \
  "basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature,keyEncipherment;extendedKeyUsage=serverAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:$HOST" \
  "$WORK/gke-ss-ca.crt" "$WORK/gke-ss-ca.key"
cat "$WORK/gke-ss.crt" "$WORK/gke-ss-ca.crt" > "$N/var/lib/kubelet/pki/kubelet.crt"
bootstrap_kubeconfig "$N/etc/srv/kubernetes/pki/ca-certificates.crt" https://10.128.0.2 > "$N/var/lib/kubelet/kubeconfig"
fi # gke

# ---------------------------------------------------------------- insecure
if want insecure; then
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
fi # insecure

# ---------------------------------------------------------------- kubeadm control-plane nodes (kubeadm init, 1.33)
# kubeadm's PKI as `kubeadm init` writes it (cmd/kubeadm/app/phases/certs/certlist.go and
# util/pkiutil): RSA 2048 keys in PKCS#1, self-signed CAs "kubernetes", "front-proxy-ca" and a
# separate "etcd-ca", leaves with keyUsage digitalSignature+keyEncipherment and an
# authorityKeyIdentifier, the service-account key pair sa.key/sa.pub. kubeadm gives CAs 10 years and
# leaves 1 year; here everything runs 36500 days, like the other examples, so nothing expires.
# Modes (certificates 644, keys and kubeconfigs 600) come from the .modes files.
LEAF_RSA='basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature,keyEncipherment;authorityKeyIdentifier=keyid'

kubeadm_pki() { # ROOT NODE_NAME NODE_IP (validity from $CP_NB/$CP_NA)
  local P=$1/etc/kubernetes/pki node=$2 ip=$3 n
  local etcd_san="subjectAltName=DNS:$node,DNS:localhost,IP:$ip,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1"
  mkdir -p "$P/etcd"
  rsa_key "$P/ca.key" 2048
  issue "/CN=kubernetes" "$P/ca.key" "$P/ca.crt" "$CP_NB" "$CP_NA" "$CA_EXT"
  rsa_key "$P/apiserver.key" 2048
  issue "/CN=kube-apiserver" "$P/apiserver.key" "$P/apiserver.crt" "$CP_NB" "$CP_NA" \
    "$LEAF_RSA;extendedKeyUsage=serverAuth;subjectAltName=DNS:$node,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1,IP:$ip" \
    "$P/ca.crt" "$P/ca.key"
  # the API server's client certificate towards every kubelet (--kubelet-client-certificate)
  rsa_key "$P/apiserver-kubelet-client.key" 2048
  issue "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" "$P/apiserver-kubelet-client.key" \
    "$P/apiserver-kubelet-client.crt" "$CP_NB" "$CP_NA" "$LEAF_RSA;extendedKeyUsage=clientAuth" "$P/ca.crt" "$P/ca.key"
  rsa_key "$P/front-proxy-ca.key" 2048
  issue "/CN=front-proxy-ca" "$P/front-proxy-ca.key" "$P/front-proxy-ca.crt" "$CP_NB" "$CP_NA" "$CA_EXT"
  rsa_key "$P/front-proxy-client.key" 2048
  issue "/CN=front-proxy-client" "$P/front-proxy-client.key" "$P/front-proxy-client.crt" "$CP_NB" "$CP_NA" \
    "$LEAF_RSA;extendedKeyUsage=clientAuth" "$P/front-proxy-ca.crt" "$P/front-proxy-ca.key"
  # etcd has its own CA (CIS 2.7): server and peer certificates are named after the node
  rsa_key "$P/etcd/ca.key" 2048
  issue "/CN=etcd-ca" "$P/etcd/ca.key" "$P/etcd/ca.crt" "$CP_NB" "$CP_NA" "$CA_EXT"
  for n in server peer; do
    rsa_key "$P/etcd/$n.key" 2048
    issue "/CN=$node" "$P/etcd/$n.key" "$P/etcd/$n.crt" "$CP_NB" "$CP_NA" \
      "$LEAF_RSA;extendedKeyUsage=serverAuth,clientAuth;$etcd_san" "$P/etcd/ca.crt" "$P/etcd/ca.key"
  done
  rsa_key "$P/etcd/healthcheck-client.key" 2048
  issue "/CN=kube-etcd-healthcheck-client" "$P/etcd/healthcheck-client.key" "$P/etcd/healthcheck-client.crt" \
    "$CP_NB" "$CP_NA" "$LEAF_RSA;extendedKeyUsage=clientAuth" "$P/etcd/ca.crt" "$P/etcd/ca.key"
  rsa_key "$P/apiserver-etcd-client.key" 2048
  issue "/CN=kube-apiserver-etcd-client" "$P/apiserver-etcd-client.key" "$P/apiserver-etcd-client.crt" \
    "$CP_NB" "$CP_NA" "$LEAF_RSA;extendedKeyUsage=clientAuth" "$P/etcd/ca.crt" "$P/etcd/ca.key"
  # service-account token signing key (PKCS#1) and its public key (PKIX "PUBLIC KEY")
  rsa_key "$P/sa.key" 2048
  openssl rsa -in "$P/sa.key" -pubout -out "$P/sa.pub" 2>/dev/null
}

# kubeconfig as kubeadm's kubeconfig phase writes it: cluster "kubernetes", context "USER@kubernetes",
# the client certificate and key embedded.
kubeadm_kubeconfig() { # ROOT FILE SUBJECT USER SERVER
  local P=$1/etc/kubernetes/pki
  rsa_key "$WORK/kc.key" 2048
  issue "$3" "$WORK/kc.key" "$WORK/kc.crt" "$CP_NB" "$CP_NA" "$LEAF_RSA;extendedKeyUsage=clientAuth" "$P/ca.crt" "$P/ca.key"
  cat > "$1/etc/kubernetes/$2" <<EOF
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $(b64 "$P/ca.crt")
    server: $5
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: $4
  name: $4@kubernetes
current-context: $4@kubernetes
kind: Config
preferences: {}
users:
- name: $4
  user:
    client-certificate-data: $(b64 "$WORK/kc.crt")
    client-key-data: $(b64 "$WORK/kc.key")
EOF
}

# admin.conf, super-admin.conf, controller-manager.conf, scheduler.conf; and kubelet.conf as the
# kubelet-finalize phase leaves it (pointing at the kubelet's rotating client certificate).
kubeadm_kubeconfigs() { # ROOT NODE_NAME SERVER
  local R=$1 node=$2 server=$3 P=$1/etc/kubernetes/pki
  kubeadm_kubeconfig "$R" admin.conf "/O=kubeadm:cluster-admins/CN=kubernetes-admin" kubernetes-admin "$server"
  kubeadm_kubeconfig "$R" super-admin.conf "/O=system:masters/CN=kubernetes-super-admin" kubernetes-super-admin "$server"
  kubeadm_kubeconfig "$R" controller-manager.conf "/CN=system:kube-controller-manager" system:kube-controller-manager "$server"
  kubeadm_kubeconfig "$R" scheduler.conf "/CN=system:kube-scheduler" system:kube-scheduler "$server"
  cat > "$R/etc/kubernetes/kubelet.conf" <<EOF
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $(b64 "$P/ca.crt")
    server: $server
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: system:node:$node
  name: system:node:$node@kubernetes
current-context: system:node:$node@kubernetes
kind: Config
preferences: {}
users:
- name: system:node:$node
  user:
    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
EOF
}

# the kubelet's rotating client certificate (EC P-256, from a CSR the kube-controller-manager signs
# with a 5-minute backdate), written as kubelet-client-<time>.pem with an absolute -current link
kubelet_client_pem() { # ROOT NODE_NAME WRITTEN("YYYY-MM-DD HH:MM:SS")
  local R=$1 node=$2 when=$3 file nb
  file=kubelet-client-$(date -u -d "$when UTC" +%Y-%m-%d-%H-%M-%S).pem
  nb=$(date -u -d "@$(( $(unix "$when") - 300 ))" '+%Y-%m-%d %H:%M:%S')
  ec_key "$WORK/kc-ec.key"
  issue "/O=system:nodes/CN=system:node:$node" "$WORK/kc-ec.key" "$WORK/kc-ec.crt" "$(at "$nb")" "$(plus100y "$nb")" \
    "$CLIENT_EXT_EC" "$R/etc/kubernetes/pki/ca.crt" "$R/etc/kubernetes/pki/ca.key"
  mkdir -p "$R/var/lib/kubelet/pki"
  cat "$WORK/kc-ec.crt" "$WORK/kc-ec.key" > "$R/var/lib/kubelet/pki/$file"
  ln -sfn "/var/lib/kubelet/pki/$file" "$R/var/lib/kubelet/pki/kubelet-client-current.pem"
}

if want kubeadm-control-plane; then
N=$EX/kubeadm-control-plane
CP_NB=$(at '2026-11-02 08:00:00'); CP_NA=$(plus100y '2026-11-02 08:00:00')
kubeadm_pki "$N" cp-1 10.0.1.10
kubeadm_kubeconfigs "$N" cp-1 https://10.0.1.10:6443
kubelet_client_pem "$N" cp-1 '2026-11-02 08:01:10'
# serverTLSBootstrap: true -> a kubernetes.io/kubelet-serving CSR, approved by the admin, signed by
# the cluster CA; the kubelet writes kubelet-server-<time>.pem and links kubelet-server-current.pem
ec_key "$WORK/cp-srv.key"
issue "/O=system:nodes/CN=system:node:cp-1" "$WORK/cp-srv.key" "$WORK/cp-srv.crt" \
  "$(at '2026-11-02 08:19:51')" "$(plus100y '2026-11-02 08:19:51')" \
  'basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature;extendedKeyUsage=serverAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:cp-1,IP:10.0.1.10' \
  "$N/etc/kubernetes/pki/ca.crt" "$N/etc/kubernetes/pki/ca.key"
cat "$WORK/cp-srv.crt" "$WORK/cp-srv.key" > "$N/var/lib/kubelet/pki/kubelet-server-2026-11-02-08-24-51.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-server-2026-11-02-08-24-51.pem "$N/var/lib/kubelet/pki/kubelet-server-current.pem"
fi # kubeadm-control-plane

if want kubeadm-control-plane-insecure; then
N=$EX/kubeadm-control-plane-insecure
CP_NB=$(at '2026-10-05 14:10:00'); CP_NA=$(plus100y '2026-10-05 14:10:00')
kubeadm_pki "$N" cp-x 10.0.2.10
kubeadm_kubeconfigs "$N" cp-x https://10.0.2.10:6443
kubelet_client_pem "$N" cp-x '2026-10-05 14:11:02'
# no serverTLSBootstrap: the kubelet serves the self-signed pair it generates itself
TS=$(unix '2026-10-05 14:11:00')
rsa_key "$WORK/cx-ss-ca.key" 2048
issue "/CN=cp-x-ca@$TS" "$WORK/cx-ss-ca.key" "$WORK/cx-ss-ca.crt" \
  "$(at '2026-10-05 13:11:00')" "$(plus100y '2026-10-05 13:11:00')" "$CA_EXT"
rsa_key "$N/var/lib/kubelet/pki/kubelet.key" 2048
issue "/CN=cp-x@$TS" "$N/var/lib/kubelet/pki/kubelet.key" "$WORK/cx-ss.crt" \
  "$(at '2026-10-05 13:11:00')" "$(plus100y '2026-10-05 13:11:00')" \
  'basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature,keyEncipherment;extendedKeyUsage=serverAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:cp-x' \
  "$WORK/cx-ss-ca.crt" "$WORK/cx-ss-ca.key"
cat "$WORK/cx-ss.crt" "$WORK/cx-ss-ca.crt" > "$N/var/lib/kubelet/pki/kubelet.crt"
fi # kubeadm-control-plane-insecure

# ---------------------------------------------------------------- bottlerocket (aws-k8s-1.31)
if want bottlerocket; then
N=$EX/bottlerocket
mkdir -p "$N/etc/kubernetes/pki" "$N/var/lib/kubelet/pki"
# the cluster CA, rendered from settings.kubernetes.cluster-certificate (template kubernetes-ca-crt)
rsa_key "$WORK/br-ca.key" 2048
issue "/CN=kubernetes" "$WORK/br-ca.key" "$N/etc/kubernetes/pki/ca.crt" \
  "$(at '2026-10-12 16:40:00')" "$(plus100y '2026-10-12 16:40:00')" "$CA_EXT"
# serverTLSBootstrap: true (settings.kubernetes.server-tls-bootstrap) -> a kubelet-serving CSR
HOST=ip-192-168-71-24.us-west-2.compute.internal
ec_key "$WORK/br-srv.key"
issue "/O=system:nodes/CN=system:node:$HOST" "$WORK/br-srv.key" "$WORK/br-srv.crt" \
  "$(at '2026-11-18 06:02:17')" "$(plus100y '2026-11-18 06:02:17')" \
  "basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature;extendedKeyUsage=serverAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:$HOST,IP:192.168.71.24" \
  "$N/etc/kubernetes/pki/ca.crt" "$WORK/br-ca.key"
cat "$WORK/br-srv.crt" "$WORK/br-srv.key" > "$N/var/lib/kubelet/pki/kubelet-server-2026-11-18-06-07-17.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-server-2026-11-18-06-07-17.pem "$N/var/lib/kubelet/pki/kubelet-server-current.pem"
fi # bottlerocket

# ---------------------------------------------------------------- openshift-worker (OCP 4.20, RHCOS, AWS)
if want openshift-worker; then
N=$EX/openshift-worker
HOST=ip-10-0-58-133.us-east-2.compute.internal
mkdir -p "$N/etc/kubernetes" "$N/var/lib/kubelet/pki"
# /etc/kubernetes/kubelet-ca.crt: the client CA the kubelet trusts (the kube-apiserver-to-kubelet signer)
rsa_key "$WORK/os-k2k.key" 2048
issue "/OU=openshift/CN=kube-apiserver-to-kubelet-signer" "$WORK/os-k2k.key" "$N/etc/kubernetes/kubelet-ca.crt" \
  "$(at '2026-10-20 11:00:00')" "$(plus100y '2026-10-20 11:00:00')" "$CA_EXT"
# the API server's serving CA, in both kubeconfigs
rsa_key "$WORK/os-lb.key" 2048
issue "/OU=openshift/CN=kube-apiserver-lb-signer" "$WORK/os-lb.key" "$WORK/os-lb.crt" \
  "$(at '2026-10-20 11:00:00')" "$(plus100y '2026-10-20 11:00:00')" "$CA_EXT"
# the CSR signer of kube-controller-manager: the kubelet's client and serving certificates
rsa_key "$WORK/os-csr.key" 2048
issue "/CN=kube-csr-signer_@1792494000" "$WORK/os-csr.key" "$WORK/os-csr.crt" \
  "$(at '2026-10-20 11:00:00')" "$(plus100y '2026-10-20 11:00:00')" "$CA_EXT"
ec_key "$WORK/os-cl.key"
issue "/O=system:nodes/CN=system:node:$HOST" "$WORK/os-cl.key" "$WORK/os-cl.crt" \
  "$(at '2026-11-21 09:12:03')" "$(plus100y '2026-11-21 09:12:03')" "$CLIENT_EXT_EC" "$WORK/os-csr.crt" "$WORK/os-csr.key"
cat "$WORK/os-cl.crt" "$WORK/os-cl.key" > "$N/var/lib/kubelet/pki/kubelet-client-2026-11-21-09-17-03.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-client-2026-11-21-09-17-03.pem "$N/var/lib/kubelet/pki/kubelet-client-current.pem"
ec_key "$WORK/os-srv.key"
issue "/O=system:nodes/CN=system:node:$HOST" "$WORK/os-srv.key" "$WORK/os-srv.crt" \
  "$(at '2026-11-21 09:13:40')" "$(plus100y '2026-11-21 09:13:40')" \
  "basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature;extendedKeyUsage=serverAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:$HOST,IP:10.0.58.133" \
  "$WORK/os-csr.crt" "$WORK/os-csr.key"
cat "$WORK/os-srv.crt" "$WORK/os-srv.key" > "$N/var/lib/kubelet/pki/kubelet-server-2026-11-21-09-18-40.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-server-2026-11-21-09-18-40.pem "$N/var/lib/kubelet/pki/kubelet-server-current.pem"
# /var/lib/kubelet/kubeconfig: written by the kubelet after its TLS bootstrap
bootstrap_kubeconfig "$WORK/os-lb.crt" https://api-int.demo.example.com:6443 > "$N/var/lib/kubelet/kubeconfig"
# /etc/kubernetes/kubeconfig: the bootstrap kubeconfig the machine-config-server serves at first boot
# (machine-config-operator pkg/server/cluster_server.go kubeconfigFromSecret): the node-bootstrapper
# service account's token; this one is made up
cat > "$N/etc/kubernetes/kubeconfig" <<EOF
clusters:
- cluster:
    certificate-authority-data: $(b64 "$WORK/os-lb.crt")
    server: https://api-int.demo.example.com:6443
  name: local
contexts:
- context:
    cluster: local
    user: kubelet
  name: kubelet
current-context: kubelet
preferences: {}
users:
- name: kubelet
  user:
    token: example-node-bootstrapper-token-not-a-real-one
EOF
fi # openshift-worker

# ---------------------------------------------------------------- microk8s (snap, kubelite)
# canonical/microk8s microk8s-resources/actions/common/utils.sh: produce_certs (CA "/CN=10.152.183.1",
# RSA 2048), create_user_certificates (kubelet.crt "/CN=system:node:<host>/O=system:nodes" with the
# host name and IPs as SANs, signed by the CA for 3650 days, no key usage extensions: sign_certificate
# passes only subjectAltName), create_kubeconfig_x509 (credentials/kubelet.config with the cert+key
# embedded). The kubelet finds kubelet.crt/kubelet.key in --cert-dir and serves with them.
if want microk8s; then
N=$EX/microk8s/var/snap/microk8s/7449
mkdir -p "$N/certs" "$N/credentials"
rsa_key "$WORK/mk-ca.key" 2048
issue "/CN=10.152.183.1" "$WORK/mk-ca.key" "$N/certs/ca.crt" \
  "$(at '2026-11-03 09:00:00')" "$(plus100y '2026-11-03 09:00:00')" \
  'basicConstraints=critical,CA:TRUE;keyUsage=critical,keyCertSign,cRLSign;subjectKeyIdentifier=hash'
rsa_key "$N/certs/kubelet.key" 2048
issue "/CN=system:node:mk8s-1/O=system:nodes" "$N/certs/kubelet.key" "$N/certs/kubelet.crt" \
  "$(at '2026-11-03 09:00:05')" "$(plus100y '2026-11-03 09:00:05')" \
  'subjectAltName=DNS:mk8s-1,IP:10.0.0.21' "$N/certs/ca.crt" "$WORK/mk-ca.key"
cat > "$N/credentials/kubelet.config" <<EOF
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $(b64 "$N/certs/ca.crt")
    server: https://127.0.0.1:16443
  name: microk8s-cluster
contexts:
- context:
    cluster: microk8s-cluster
    user: system:node:mk8s-1
  name: microk8s
current-context: microk8s
kind: Config
preferences: {}
users:
- name: system:node:mk8s-1
  user:
    client-certificate-data: $(b64 "$N/certs/kubelet.crt")
    client-key-data: $(b64 "$N/certs/kubelet.key")
EOF
fi # microk8s

# ---------------------------------------------------------------- kind (a worker node container)
# kubeadm join inside the node container: the cluster CA, the rotating client certificate, and the
# self-signed serving pair the kubelet writes (as for kubeadm-worker).
if want kind; then
N=$EX/kind
mkdir -p "$N/etc/kubernetes/pki" "$N/var/lib/kubelet/pki"
rsa_key "$WORK/kd-ca.key" 2048
issue "/CN=kubernetes" "$WORK/kd-ca.key" "$N/etc/kubernetes/pki/ca.crt" \
  "$(at '2026-11-04 11:00:00')" "$(plus100y '2026-11-04 11:00:00')" "$CA_EXT"
ec_key "$WORK/kd-client.key"
issue "/O=system:nodes/CN=system:node:kind-worker" "$WORK/kd-client.key" "$WORK/kd-client.crt" \
  "$(at '2026-11-04 11:00:40')" "$(plus100y '2026-11-04 11:00:40')" "$CLIENT_EXT_EC" \
  "$N/etc/kubernetes/pki/ca.crt" "$WORK/kd-ca.key"
cat "$WORK/kd-client.crt" "$WORK/kd-client.key" > "$N/var/lib/kubelet/pki/kubelet-client-2026-11-04-11-05-40.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-client-2026-11-04-11-05-40.pem "$N/var/lib/kubelet/pki/kubelet-client-current.pem"
TS=$(unix '2026-11-04 11:05:39')
rsa_key "$WORK/kd-ss-ca.key" 2048
issue "/CN=kind-worker-ca@$TS" "$WORK/kd-ss-ca.key" "$WORK/kd-ss-ca.crt" \
  "$(at '2026-11-04 10:05:39')" "$(plus100y '2026-11-04 10:05:39')" "$CA_EXT"
rsa_key "$N/var/lib/kubelet/pki/kubelet.key" 2048
issue "/CN=kind-worker@$TS" "$N/var/lib/kubelet/pki/kubelet.key" "$WORK/kd-ss.crt" \
  "$(at '2026-11-04 10:05:39')" "$(plus100y '2026-11-04 10:05:39')" \
  'basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature,keyEncipherment;extendedKeyUsage=serverAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:kind-worker' \
  "$WORK/kd-ss-ca.crt" "$WORK/kd-ss-ca.key"
cat "$WORK/kd-ss.crt" "$WORK/kd-ss-ca.crt" > "$N/var/lib/kubelet/pki/kubelet.crt"
bootstrap_kubeconfig "$N/etc/kubernetes/pki/ca.crt" https://kind-control-plane:6443 > "$N/etc/kubernetes/kubelet.conf"
fi # kind

# ---------------------------------------------------------------- talos (machined's files)
# siderolabs/talos internal/app/machined/pkg/controllers/k8s/kubelet_service.go writePKI: the
# accepted CAs to /etc/kubernetes/pki/ca.crt (0400) and a bootstrap kubeconfig with a bootstrap token
# (here the documentation's example token, no real one) to /etc/kubernetes/bootstrap-kubeconfig; the
# kubelet then writes /etc/kubernetes/kubeconfig-kubelet and its certificates in /var/lib/kubelet/pki.
if want talos; then
N=$EX/talos
mkdir -p "$N/etc/kubernetes/pki" "$N/var/lib/kubelet/pki"
ec_key "$WORK/tl-ca.key"
issue "/O=kubernetes/CN=kubernetes" "$WORK/tl-ca.key" "$N/etc/kubernetes/pki/ca.crt" \
  "$(at '2026-11-05 07:00:00')" "$(plus100y '2026-11-05 07:00:00')" "$CA_EXT"
ec_key "$WORK/tl-client.key"
issue "/O=system:nodes/CN=system:node:talos-w1" "$WORK/tl-client.key" "$WORK/tl-client.crt" \
  "$(at '2026-11-05 07:05:00')" "$(plus100y '2026-11-05 07:05:00')" "$CLIENT_EXT_EC" \
  "$N/etc/kubernetes/pki/ca.crt" "$WORK/tl-ca.key"
cat "$WORK/tl-client.crt" "$WORK/tl-client.key" > "$N/var/lib/kubelet/pki/kubelet-client-2026-11-05-07-10-00.pem"
ln -sfn /var/lib/kubelet/pki/kubelet-client-2026-11-05-07-10-00.pem "$N/var/lib/kubelet/pki/kubelet-client-current.pem"
talos_kubeconfig() { # USER-LINES
  cat <<EOF
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $(b64 "$N/etc/kubernetes/pki/ca.crt")
    server: https://10.5.0.2:6443
  name: local
contexts:
- context:
    cluster: local
    user: kubelet@local
  name: kubelet@local
current-context: kubelet@local
kind: Config
preferences: {}
users:
- name: kubelet@local
  user:
$1
EOF
}
talos_kubeconfig '    token: abcdef.0123456789abcdef' > "$N/etc/kubernetes/bootstrap-kubeconfig"
talos_kubeconfig '    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem' > "$N/etc/kubernetes/kubeconfig-kubelet"
fi # talos

# ---------------------------------------------------------------- k3s-server, rke2-agent (k3s's agent code)
# k3s and RKE2 mint their own CAs ("<program>-client-ca@<unix>", "<program>-server-ca@<unix>", ECDSA
# P-256, k3s-io/k3s pkg/daemons/control/deps/deps.go) and write the agent's certificates under
# <data-dir>/agent (pkg/agent/config/config.go): client-ca.crt, server-ca.crt, serving-kubelet.crt
# (leaf + server CA) and client-kubelet.crt (leaf + client CA), their keys beside them.
k3s_agent_pki() { # NODE_DIR PROGRAM NODE IP WHEN
  local n=$1 prog=$2 node=$3 ip=$4 when=$5
  local a=$n/var/lib/rancher/$prog/agent ts
  ts=$(unix "$when")
  mkdir -p "$a"
  ec_key "$WORK/$prog-cca.key"; ec_key "$WORK/$prog-sca.key"
  issue "/CN=$prog-client-ca@$ts" "$WORK/$prog-cca.key" "$a/client-ca.crt" "$(at "$when")" "$(plus100y "$when")" "$CA_EXT"
  issue "/CN=$prog-server-ca@$ts" "$WORK/$prog-sca.key" "$a/server-ca.crt" "$(at "$when")" "$(plus100y "$when")" "$CA_EXT"
  ec_key "$a/serving-kubelet.key"
  issue "/CN=$node" "$a/serving-kubelet.key" "$WORK/$prog-srv.crt" "$(at "$when")" "$(plus100y "$when")" \
    "basicConstraints=critical,CA:FALSE;keyUsage=critical,digitalSignature,keyEncipherment;extendedKeyUsage=serverAuth;authorityKeyIdentifier=keyid;subjectAltName=DNS:$node,DNS:localhost,IP:127.0.0.1,IP:$ip" \
    "$a/server-ca.crt" "$WORK/$prog-sca.key"
  cat "$WORK/$prog-srv.crt" "$a/server-ca.crt" > "$a/serving-kubelet.crt"
  ec_key "$a/client-kubelet.key"
  issue "/O=system:nodes/CN=system:node:$node" "$a/client-kubelet.key" "$WORK/$prog-cli.crt" "$(at "$when")" "$(plus100y "$when")" \
    "$CLIENT_EXT_EC" "$a/client-ca.crt" "$WORK/$prog-cca.key"
  cat "$WORK/$prog-cli.crt" "$a/client-ca.crt" > "$a/client-kubelet.crt"
  # the kubeconfig k3s writes for the kubelet (pkg/agent/config/config.go); the agent reaches the
  # API server through its local load balancer (6443 on a k3s server, 6444 on an RKE2 agent)
  local server=https://127.0.0.1:6443
  [ "$prog" = rke2 ] && server=https://127.0.0.1:6444
  cat > "$a/kubelet.kubeconfig" <<EOF
apiVersion: v1
clusters:
- cluster:
    server: $server
    certificate-authority: /var/lib/rancher/$prog/agent/server-ca.crt
  name: local
contexts:
- context:
    cluster: local
    namespace: default
    user: user
  name: Default
current-context: Default
kind: Config
preferences: {}
users:
- name: user
  user:
    client-certificate: /var/lib/rancher/$prog/agent/client-kubelet.crt
    client-key: /var/lib/rancher/$prog/agent/client-kubelet.key
EOF
}
if want k3s-server; then k3s_agent_pki "$EX/k3s-server" k3s k3s-server-1 192.0.2.11 '2026-11-03 09:00:00'; fi
if want rke2-agent; then k3s_agent_pki "$EX/rke2-agent" rke2 rke2-agent-1 192.0.2.21 '2026-11-04 09:00:00'; fi
