"""Configuration files of the local node's components (see :mod:`testkit.node`).

Pure functions from paths and addresses to file contents, kept apart from the process
handling. Every path points into the dev dir, every listener is on the namespace's loopback
or node IP, and nothing asks a component to touch a host sysctl or firewall.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

NODE_NAME = "db-migrate-node"
CLUSTER_DOMAIN = "cluster.local"
# The 10th address of the control plane's Service range, as kubeadm does.
CLUSTER_DNS = "10.0.0.10"
COREDNS_READY_PORT = 8181
COREDNS_HEALTH_PORT = 8080
COREDNS_USER = "db-migrate:coredns"


def containerd_toml(
    root: Path, state: Path, socket: Path, opt: Path, cni_conf: Path, sandbox_image: str, registry_hosts: Path
) -> str:
    # Written by hand: the values are few, and the format is TOML, which the stdlib only reads.
    def q(value: object) -> str:
        return json.dumps(str(value))

    cri = '[plugins."io.containerd.grpc.v1.cri"]'
    return f"""\
version = 2
root = {q(root)}
state = {q(state)}
# Snapshotters and plugins a node does not need; some would probe the host.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = {q(socket)}

[debug]
  level = "warn"

[metrics]
  address = ""

# Its default is /opt/containerd on the host.
[plugins."io.containerd.internal.v1.opt"]
  path = {q(opt)}

{cri}
  sandbox_image = {q(sandbox_image)}
  # Pod network namespaces under our state dir, not in the host's /run/netns.
  netns_mounts_under_state_dir = true
  # No CAP_SYS_RESOURCE here: lowering a shim's OOM score would fail.
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  disable_cgroup = false
  enable_unprivileged_ports = true
  enable_unprivileged_icmp = true

{cri[:-1]}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

{cri[:-1]}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

{cri[:-1]}.containerd.runtimes.runc.options]
  SystemdCgroup = false

{cri[:-1]}.cni]
  bin_dir = "/usr/lib/cni"
  conf_dir = {q(cni_conf)}
  max_conf_num = 1

# Where images come from: one hosts.toml per registry name (testkit/registry.py), each sending
# pulls to the node's own registry on its loopback.
{cri[:-1]}.registry]
  config_path = {q(registry_hosts)}
"""


def cni_conflist(name: str, pod_cidr: str, ipam_dir: Path) -> str:
    config = {
        "cniVersion": "1.0.0",
        "name": name,
        "plugins": [
            {
                "type": "bridge",
                "bridge": "cni0",
                "isGateway": True,
                # Pods' traffic to the host side of the veth (the API forwarder) leaves as
                # the node IP, which the host can answer; a Pod IP would be unroutable there.
                "ipMasq": True,
                "hairpinMode": True,
                "ipam": {
                    "type": "host-local",
                    "ranges": [[{"subnet": pod_cidr}]],
                    "routes": [{"dst": "0.0.0.0/0"}],
                    "dataDir": str(ipam_dir),
                },
            },
        ],
    }
    return json.dumps(config, indent=2) + "\n"


def kubelet_yaml(
    *,
    node_ip: str,
    ca: Path,
    cgroup_root: str,
    runtime_socket: Path,
    resolv_conf: Path,
    pod_logs: Path,
) -> str:
    config = {
        "apiVersion": "kubelet.config.k8s.io/v1beta1",
        "kind": "KubeletConfiguration",
        # Reachable from the host (the API server's logs/exec) through the veth.
        "address": node_ip,
        "port": 10250,
        "readOnlyPort": 0,
        "healthzBindAddress": "127.0.0.1",
        "healthzPort": 10248,
        "authentication": {
            "anonymous": {"enabled": False},
            "webhook": {"enabled": True},
            "x509": {"clientCAFile": str(ca)},
        },
        "authorization": {"mode": "Webhook"},
        "cgroupDriver": "cgroupfs",
        "cgroupRoot": f"/{cgroup_root}",
        "cgroupsPerQOS": True,
        "failSwapOn": False,
        # Check, never write, vm.overcommit_memory, kernel.panic and friends; the node's
        # mount namespace shows kubelet the values it wants (netns.py).
        "protectKernelDefaults": True,
        "containerRuntimeEndpoint": f"unix://{runtime_socket}",
        "resolvConf": str(resolv_conf),
        "clusterDNS": [CLUSTER_DNS],
        "clusterDomain": CLUSTER_DOMAIN,
        "podLogsDir": str(pod_logs),
        "serializeImagePulls": False,
        "registerNode": True,
        # A shared 2-core machine: do not evict for a fuller disk than a laptop has.
        "evictionHard": {"memory.available": "50Mi", "nodefs.available": "2%", "imagefs.available": "2%"},
        "imageGCHighThresholdPercent": 99,
        "imageGCLowThresholdPercent": 98,
        "nodeStatusReportFrequency": "10s",
        "enableServer": True,
    }
    return yaml.safe_dump(config, sort_keys=False)


def kube_proxy_yaml(*, kubeconfig: Path, pod_cidr: str) -> str:
    config = {
        "apiVersion": "kubeproxy.config.k8s.io/v1alpha1",
        "kind": "KubeProxyConfiguration",
        "mode": "nftables",
        "clientConnection": {"kubeconfig": str(kubeconfig)},
        "hostnameOverride": NODE_NAME,
        "clusterCIDR": pod_cidr,
        "healthzBindAddress": "127.0.0.1:10256",
        "metricsBindAddress": "127.0.0.1:10249",
        # Zero means "leave the kernel's value alone": conntrack limits and timeouts are
        # host-wide sysctls, not per namespace.
        "conntrack": {
            "maxPerCore": 0,
            "min": 0,
            "tcpEstablishedTimeout": "0s",
            "tcpCloseWaitTimeout": "0s",
            "udpTimeout": "0s",
            "udpStreamTimeout": "0s",
        },
    }
    return yaml.safe_dump(config, sort_keys=False)


def corefile(*, node_ip: str, kubeconfig: Path) -> str:
    # No "forward": the node has no way out, by design, so names outside the cluster fail.
    return f"""\
.:53 {{
    bind {node_ip}
    errors
    health 127.0.0.1:{COREDNS_HEALTH_PORT}
    ready {node_ip}:{COREDNS_READY_PORT}
    kubernetes {CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {{
        kubeconfig {kubeconfig}
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }}
    cache 5
}}
"""


def dns_objects(node_ip: str) -> str:
    """The ``kube-dns`` Service in front of CoreDNS (a process on the node IP) and its RBAC."""
    ports = [
        {"name": "dns", "port": 53, "protocol": "UDP"},
        {"name": "dns-tcp", "port": 53, "protocol": "TCP"},
    ]
    objects = [
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": {"name": "db-migrate:coredns"},
            "rules": [
                {
                    "apiGroups": [""],
                    "resources": ["services", "pods", "namespaces"],
                    "verbs": ["list", "watch"],
                },
                {
                    "apiGroups": ["discovery.k8s.io"],
                    "resources": ["endpointslices"],
                    "verbs": ["list", "watch"],
                },
            ],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "db-migrate:coredns"},
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "ClusterRole",
                "name": "db-migrate:coredns",
            },
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": COREDNS_USER}],
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "kube-dns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
            # No selector: the endpoint is CoreDNS on the node IP, given below.
            "spec": {"clusterIP": CLUSTER_DNS, "ports": [{**p, "targetPort": 53} for p in ports]},
        },
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {
                "name": "kube-dns-node",
                "namespace": "kube-system",
                "labels": {
                    "kubernetes.io/service-name": "kube-dns",
                    "endpointslice.kubernetes.io/managed-by": "db-migrate.local",
                },
            },
            "addressType": "IPv4",
            "endpoints": [{"addresses": [node_ip], "conditions": {"ready": True}}],
            "ports": ports,
        },
    ]
    return yaml.safe_dump_all(objects, sort_keys=False)


def kubeconfig(*, server: str, ca: Path, cert: Path, key: Path, user: str) -> str:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": "local",
                "cluster": {
                    "server": server,
                    "certificate-authority": str(ca),
                    # The forwarder's address is not in the serving certificate; the
                    # certificate is still verified, for the name the server has.
                    "tls-server-name": "localhost",
                },
            }
        ],
        "users": [{"name": user, "user": {"client-certificate": str(cert), "client-key": str(key)}}],
        "contexts": [{"name": "local", "context": {"cluster": "local", "user": user}}],
        "current-context": "local",
    }
    return yaml.safe_dump(config, sort_keys=False)
