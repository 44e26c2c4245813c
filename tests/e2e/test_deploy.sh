#!/usr/bin/env bash
# test_deploy: the files under deploy/ are well-formed: the systemd units pass
# `systemd-analyze verify`, the scripts pass bash -n (and shellcheck), the Kubernetes
# manifests parse and agree with each other (selectors, ports, volumes, Secrets), the
# scenarios they ship validate, and the Containerfile builds targets that exist.
# A check whose tool is missing prints "skip" (install-deps.sh --test installs them).
. "$(dirname "$0")/lib.sh"

D="$SRC/deploy"
skip() { echo "skip - $1"; }

# ---- scripts ------------------------------------------------------------------------------
for f in "$D/launch.sh" "$SRC/bench/master_scale.sh"; do
    check "bash -n $(basename "$f")" bash -n "$f"
done
if command -v shellcheck >/dev/null; then
    check "shellcheck launch.sh" shellcheck "$D/launch.sh"
    check "shellcheck master_scale.sh" shellcheck "$SRC/bench/master_scale.sh"
else
    skip "shellcheck not installed"
fi

# ---- systemd units --------------------------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
    # verify wants the ExecStart binaries to exist: point them at this build.
    units="$E2E_TMP/units"
    mkdir -p "$units"
    bin=$(cd "$BUILD" && pwd)
    sed "s|/usr/local/bin/|$bin/|" "$D/systemd/barrage-worker@.service" >"$units/barrage-worker@lab.service"
    sed "s|/usr/local/bin/|$bin/|" "$D/systemd/barrage-master.service" >"$units/barrage-master.service"
    systemd-analyze verify --man=no "$units/barrage-worker@lab.service" "$units/barrage-master.service" \
        >"$E2E_TMP/verify" 2>&1
    rc=$?
    check "systemd-analyze verify: both units (got $rc)" test "$rc" -eq 0 -a ! -s "$E2E_TMP/verify"
    cat "$E2E_TMP/verify"
else
    skip "systemd-analyze not installed"
fi
check "the worker unit reads /etc/barrage/worker-%i.env" \
    grep -qx 'EnvironmentFile=/etc/barrage/worker-%i.env' "$D/systemd/barrage-worker@.service"
for v in BARRAGE_MASTER BARRAGE_MASTER_KEY BARRAGE_KEY; do
    check "worker.env.example sets $v" grep -q "^$v=" "$D/systemd/worker.env.example"
done
for u in barrage-worker@.service barrage-master.service; do
    for opt in DynamicUser=yes NoNewPrivileges=yes ProtectSystem=strict; do
        check "$u: $opt" grep -qx "$opt" "$D/systemd/$u"
    done
done

# ---- Kubernetes manifests -------------------------------------------------------------------
PY=""
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import yaml' 2>/dev/null; then PY=$p; break; fi
done
if [ -n "$PY" ]; then
    "$PY" - "$D/k8s" >"$E2E_TMP/k8s" 2>&1 <<'PY'
# Parses every manifest and checks that the pieces refer to each other correctly.
import glob, os, sys, yaml
d = sys.argv[1]
docs = {}
for f in sorted(glob.glob(os.path.join(d, "*.yaml"))):
    with open(f) as fh:
        for doc in yaml.safe_load_all(fh):
            if isinstance(doc, dict) and "kind" in doc:
                docs[doc["kind"]] = doc
def ok(what, cond):
    print(("ok   - " if cond else "FAIL - ") + what)
kust, job, svc, dep = (docs.get(k) for k in ("Kustomization", "Job", "Service", "Deployment"))
ok("kustomization, Job, Service and Deployment parse", all((kust, job, svc, dep)))
if all((kust, job, svc, dep)):
    ok("kustomization lists every manifest",
       sorted(kust["resources"]) == sorted(os.path.basename(f) for f in glob.glob(os.path.join(d, "*.yaml"))
                                           if os.path.basename(f) not in ("kustomization.yaml", "scenario.yaml")))
    for gen in kust.get("configMapGenerator", []):
        for f in gen["files"]:
            ok("configMapGenerator file %s exists" % f, os.path.exists(os.path.join(d, f.split("=")[-1])))
    jpod, dpod = job["spec"]["template"], dep["spec"]["template"]
    sel = svc["spec"]["selector"]
    ok("the Service selects the master pod", all(jpod["metadata"]["labels"].get(k) == v for k, v in sel.items()))
    ok("the Service does not select workers", not all(dpod["metadata"]["labels"].get(k) == v for k, v in sel.items()))
    ok("the Deployment selector matches its pods",
       all(dpod["metadata"]["labels"].get(k) == v for k, v in dep["spec"]["selector"]["matchLabels"].items()))
    mc, wc = jpod["spec"]["containers"][0], dpod["spec"]["containers"][0]
    ok("the Service's targetPort is the master's port",
       svc["spec"]["ports"][0]["targetPort"] in [p.get("name") for p in mc["ports"]] + [p["containerPort"] for p in mc["ports"]])
    port = svc["spec"]["ports"][0]["port"]
    ok("workers connect to the Service", "--master=tcp://%s:%d" % (svc["metadata"]["name"], port) in wc["args"])
    ok("the master binds that port", "--bind=tcp://0.0.0.0:%d" % port in mc["args"])
    for pod, c in ((jpod, mc), (dpod, wc)):
        vols = {v["name"]: v for v in pod["spec"]["volumes"]}
        for m in c["volumeMounts"]:
            ok("%s: volume %s is defined" % (c["name"], m["name"]), m["name"] in vols)
        sc = c["securityContext"]
        ok("%s: non-root, no privilege escalation, read-only root" % c["name"],
           pod["spec"]["securityContext"]["runAsNonRoot"] and not sc["allowPrivilegeEscalation"]
           and sc["readOnlyRootFilesystem"] and sc["capabilities"]["drop"] == ["ALL"])
    def secret(pod):
        return [v["secret"]["secretName"] for v in pod["spec"]["volumes"] if "secret" in v][0]
    ok("master keys come from Secret barrage-master-key", secret(jpod) == "barrage-master-key")
    ok("worker keys come from Secret barrage-worker-key", secret(dpod) == "barrage-worker-key")
    args = " ".join(mc["args"] + wc["args"])
    for flag in ("--key=/etc/barrage/keys/master.key", "--allow=/etc/barrage/keys/worker.key.pub",
                 "--master-key=/etc/barrage/keys/master.key.pub", "--key=/etc/barrage/keys/worker.key"):
        ok("uses %s" % flag, flag in args)
    ok("the Job does not retry a failed run", job["spec"]["backoffLimit"] == 0
       and jpod["spec"]["restartPolicy"] == "Never")
PY
    while IFS= read -r line; do
        case $line in
            "ok   - "*) check "k8s: ${line#ok   - }" true ;;
            "FAIL - "*) check "k8s: ${line#FAIL - }" false ;;
            *) echo "$line" ;;
        esac
    done <"$E2E_TMP/k8s"
else
    skip "no python3 with the yaml module (python3-yaml)"
fi
validates() { "$BUILD/barrage" validate -q "$1" >/dev/null; }
check "the k8s scenario validates" validates "$D/k8s/scenario.yaml"
check "the master_scale scenario validates" validates "$SRC/bench/master_scale.yaml"

# ---- Containerfile --------------------------------------------------------------------------
CF="$D/container/Containerfile"
for t in barrage barrage-worker barrage-target; do
    check "Containerfile builds $t, a CMake target" \
        grep -rqE "add_executable\($t( |\$)" "$SRC/master/CMakeLists.txt" "$SRC/worker/CMakeLists.txt" "$SRC/tests/target/CMakeLists.txt"
done
check "Containerfile: Debian 12 base" grep -qx 'ARG DEBIAN_IMAGE=debian:12-slim' "$CF"
check "Containerfile: a non-root user" grep -qx 'USER 10001:10001' "$CF"
check "Containerfile: its COPY sources exist" test -d "$SRC/scenarios/examples"
e2e_finish
