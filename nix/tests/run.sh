#!/usr/bin/env bash
# Tests of the Nix cluster schema. Needs only nix-instantiate (Debian nix-bin, no nixpkgs) and python3.
#  1. every .nix file under nix/ parses (nix-instantiate --parse)
#  2. the lab evaluates and equals nix/examples/lab/expected-cluster-state.json; the golden file
#     is pretty-printed with `python3 -m json.tool --sort-keys` (4-space indent, ASCII);
#     regenerate it with: UPDATE_GOLDEN=1 bash nix/tests/run.sh
#  3. the lab's other outputs (installPlans, testTopology, nodeModuleArgs) and tests/minimal.nix evaluate
#  4. the lab hardware files agree with the intent (tests/check-lab-hardware.py)
#  5. every tests/broken/*.nix fails with a non-zero exit and stderr containing the substring on its
#     first line ("# expect: <substring>")
#  6. the disko layouts (nix/disko) evaluate without nixpkgs: every layout cluster-schema.nix knows is
#     selectable through nix/disko/default.nix, the resolved device paths are threaded through unchanged,
#     no /dev/sdX appears, and bad input (a /dev/sdX root, an unknown layout, too few data disks) throws
#  7. every lab host's NixOS configuration (nix/lib/nixos-configurations.nix, through tests/lab-configurations.nix)
#     evaluates against the stand-ins for nixpkgs and disko in tests/stubs (real nixpkgs is not evaluated
#     here): looked up as the installer asks for it (nixosConfigurations."<system.configuration>", as
#     nixos-install does) and by the full attribute path (as nix build does), its system.build.toplevel
#     passes every assertion, config.fileSystems has / and /boot from the node's disk layout, mounted by
#     partition label or md name, the same whatever root/data devices the layout is evaluated with,
#     GRUB never gets a disk device, and the nix-agent runs the given package; broken variants
#     (agent without package, a misspelt option, no disk layout, an unknown configuration) fail as NixOS would;
#     the nix-agent runs nix/packages/ultracloud-agent.nix built from the installer jar (the jar's `agent` command)
#     with the node credential from /var/lib/ultracloud/tls and its state in /var/lib/ultracloud/agent
# Prints "N passed, M failed" last; exits non-zero if anything failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
nixdir=$(cd "$here/.." && pwd)
lab="$nixdir/examples/lab"
golden="$lab/expected-cluster-state.json"
store_args=()
[ "$(id -u)" -eq 0 ] || store_args=(--store dummy://)
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $1"; return 0; }
ko() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     /' <<<"$2"; return 0; }
evaluate() { nix-instantiate "${store_args[@]}" --eval --strict --json "$@"; }

command -v nix-instantiate >/dev/null || { echo "nix-instantiate not found (apt-get install -y nix-bin)"; echo "0 passed, 1 failed"; exit 1; }

# 1. parse
while IFS= read -r -d '' f; do
  rel=${f#"$nixdir/"}
  if out=$(nix-instantiate "${store_args[@]}" --parse "$f" 2>&1 >/dev/null); then ok "parse $rel"; else ko "parse $rel" "$out"; fi
done < <(find "$nixdir" -name '*.nix' -print0 | sort -z)

# 2. golden cluster state
if evaluate -A clusterState "$lab" >"$tmp/state.json" 2>"$tmp/err" \
   && python3 -m json.tool --sort-keys "$tmp/state.json" >"$tmp/state.pretty.json"; then
  if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$tmp/state.pretty.json" "$golden"; echo "updated $golden"; fi
  if d=$(diff -u "$golden" "$tmp/state.pretty.json" 2>&1); then ok "lab clusterState equals golden"; else ko "lab clusterState differs from $golden" "$d"; fi
else
  ko "lab clusterState evaluates" "$(cat "$tmp/err")"
fi

# 3. other outputs
for attr in installPlans testTopology nodeModuleArgs; do
  if out=$(evaluate -A "$attr" "$lab" 2>&1 >"$tmp/$attr.json"); then ok "lab $attr evaluates"; else ko "lab $attr evaluates" "$out"; fi
done
if out=$(evaluate "$here/minimal.nix" 2>&1 >/dev/null); then ok "minimal cluster evaluates"; else ko "minimal cluster evaluates" "$out"; fi

# 4. hardware facts vs. intent
if out=$(python3 "$here/check-lab-hardware.py" "$tmp/state.json" "$lab/hardware" 2>&1); then ok "lab hardware matches intent"; else ko "lab hardware matches intent" "$out"; fi

# 5. broken variants
for f in "$here"/broken/*.nix; do
  name=$(basename "$f")
  expect=$(head -n 1 "$f" | sed -n 's/^# expect: //p')
  if [ -z "$expect" ]; then ko "broken/$name: first line must be '# expect: <substring>'"; continue; fi
  if evaluate "$f" >/dev/null 2>"$tmp/err"; then
    ko "broken/$name evaluated without error (expected: $expect)"
  elif grep -qF -- "$expect" "$tmp/err"; then
    ok "broken/$name"
  else
    ko "broken/$name: stderr lacks '$expect'" "$(cat "$tmp/err")"
  fi
done

# 6. disko layouts
disko="$nixdir/disko"
root_dev=/dev/disk/by-id/nvme-SAMSUNG_MZQL21T9HCJR-00A07_S64GNE0R401234
data_devs='[ "/dev/disk/by-id/wwn-0x5000c500c8a1b2c3" "/dev/disk/by-id/wwn-0x5000c500c8a1b3d4" "/dev/disk/by-path/pci-0000:3b:00.0-sas-phy2-lun-0" ]'
known=$(sed -n 's/^ *knownLayouts = \[\(.*\)\];.*/\1/p' "$nixdir/lib/cluster-schema.nix" | tr -d '"' | xargs -n1 | sort | xargs)
ours=$(evaluate -E "builtins.attrNames (import $disko/layouts.nix)" 2>&1 | tr -d '[]"' | tr ',' ' ' | xargs -n1 | sort | xargs)
if [ -n "$known" ] && [ "$known" = "$ours" ]; then ok "disko layouts equal cluster-schema knownLayouts ($known)"; else ko "disko layouts ($ours) differ from cluster-schema knownLayouts ($known)"; fi
for layout in $known; do
  if evaluate -E "import $disko { layout = \"$layout\"; device = \"$root_dev\"; dataDevices = $data_devs; }" >"$tmp/disko.json" 2>"$tmp/err" \
     && out=$(python3 - "$tmp/disko.json" "$root_dev" "$data_devs" 2>&1 <<'PY'
import json, re, sys
doc = json.load(open(sys.argv[1]))
root, data = sys.argv[2], re.findall(r'"([^"]+)"', sys.argv[3])
disks = doc["disko"]["devices"]["disk"]
assert disks["main"]["device"] == root, f"main disk is {disks['main']['device']}, expected {root}"
others = sorted(d["device"] for n, d in disks.items() if n != "main")
assert others in ([], sorted(data)), f"data disks {others}, expected {sorted(data)}"
text = json.dumps(doc)
assert not re.search(r"/dev/(sd|hd|vd|nvme)", text.replace("/dev/disk/by-", "")), "a kernel device name appears"
mounts = re.findall(r'"mountpoint": "([^"]+)"', text)
assert "/" in mounts and "/boot" in mounts, f"mountpoints {mounts}"
PY
); then ok "disko $layout evaluates with the resolved device"; else ko "disko $layout" "$(cat "$tmp/err") $out"; fi
done
if [ "$(evaluate -E "(import $disko/single-ext4.nix { device = \"$root_dev\"; }).disko.devices.disk.main.device" 2>&1)" = "\"$root_dev\"" ]; then
  ok "disko single-ext4 evaluates on its own"; else ko "disko single-ext4 evaluates on its own"; fi
expect_throw() { # name, expected stderr substring, expression
  if evaluate -E "$3" >/dev/null 2>"$tmp/err"; then ko "disko $1 evaluated without error"
  elif grep -qF -- "$2" "$tmp/err"; then ok "disko $1"
  else ko "disko $1: stderr lacks '$2'" "$(cat "$tmp/err")"; fi
}
expect_throw "refuses /dev/sdX" "device must be a stable /dev/disk/by-id" "import $disko { layout = \"single-btrfs\"; device = \"/dev/sda\"; }"
expect_throw "refuses a /dev/sdX data disk" "dataDevices[1] must be a stable" "import $disko { layout = \"storage-array\"; device = \"$root_dev\"; dataDevices = [ \"/dev/disk/by-id/a\" \"/dev/sdb\" ]; }"
expect_throw "refuses an unknown layout" "unknown layout \"zfs-mirror\"" "import $disko { layout = \"zfs-mirror\"; device = \"$root_dev\"; }"
expect_throw "storage-array needs 2 data disks" "needs at least 2 dataDevices, got 1" "import $disko { layout = \"storage-array\"; device = \"$root_dev\"; dataDevices = [ \"/dev/disk/by-id/a\" ]; }"
expect_throw "storage-array refuses the root disk as data" "is also listed in dataDevices" "import $disko { layout = \"storage-array\"; device = \"$root_dev\"; dataDevices = [ \"$root_dev\" \"/dev/disk/by-id/a\" ]; }"

# 7. NixOS configurations
configs="$here/lab-configurations.nix"
hosts=$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1])))))' "$tmp/nodeModuleArgs.json" 2>/dev/null)
[ -n "$hosts" ] || ko "lab nodeModuleArgs lists hosts"
for host in $hosts; do
  # nixos-install builds "$flake#nixosConfigurations.\"$name\".config.system.build.toplevel"; nix build follows the
  # attribute path (no quoted names in ours, so splitting at dots is enough)
  if evaluate -E "let
      args = (import $lab).nodeModuleArgs.\"$host\";
      outputs = import $configs { };
      byName = outputs.nixosConfigurations.\"\${args.system.configuration}\".config;
      byAttribute = (builtins.foldl' (set: name: set.\${name}) outputs (builtins.filter builtins.isString (builtins.split \"[.]\" args.system.attribute))).config;
    in {
      inherit (args) diskLayout;
      inherit (args.system) attribute configuration;
      toplevel = byName.system.build.toplevel.drvPath;
      sameByAttribute = byAttribute.system.build.toplevel.drvPath == byName.system.build.toplevel.drvPath;
      build = builtins.attrNames byName.system.build;
      fileSystems = byName.fileSystems;
      layout = byName.ultracloud.disk.layout;
      grubDevices = byName.boot.loader.grub.devices;
      agent = byName.systemd.services.ultracloud-nix-agent.serviceConfig.ExecStart;
      agentStateDirectory = byName.systemd.services.ultracloud-nix-agent.serviceConfig.StateDirectory;
      agentPackage = { inherit (byName.ultracloud.nixAgent.package) name installPhase; inherit (byName.ultracloud.nixAgent.package.meta) mainProgram; };
    }" >"$tmp/config.json" 2>"$tmp/err" \
     && out=$(python3 - "$tmp/config.json" "$host" 2>&1 <<'PY'
import json, sys
c, host = json.load(open(sys.argv[1])), sys.argv[2]
assert c["configuration"] == host and c["attribute"] == "nixosConfigurations." + host, f"system {c['attribute']} / {c['configuration']}"
assert c["sameByAttribute"], "the full attribute path and the configuration name give different systems"
assert {"toplevel", "diskoScript"} <= set(c["build"]), f"system.build has {c['build']}"
assert c["layout"] == c["diskLayout"], f"disk layout {c['layout']}, the node's is {c['diskLayout']}"
fs = c["fileSystems"]
assert "/" in fs and "/boot" in fs, f"fileSystems {sorted(fs)}"
for mount, f in fs.items():
    dev = f["device"]
    assert dev.startswith(("/dev/disk/by-partlabel/", "/dev/md/")) and "placeholder" not in dev, f"{mount} on {dev}"
assert fs["/boot"]["fsType"] == "vfat", fs["/boot"]
assert c["grubDevices"] == ["nodev"], f"GRUB devices {c['grubDevices']}"
assert c["agent"].startswith("/nix/store/") and "-ultracloud-agent-0.1.0/bin/ultracloud-agent --deployer https://" in c["agent"], c["agent"]
# the agent reads the node credential where the installer wrote it, and keeps its own state (the pending confirm) apart
assert " --credentials /var/lib/ultracloud/tls " in c["agent"] and " --state-dir /var/lib/ultracloud/agent " in c["agent"], c["agent"]
assert c["agentStateDirectory"] == "ultracloud/agent", c["agentStateDirectory"]
# the package is nix/packages/ultracloud-agent.nix built from the installer jar: the jar's `agent` command
pkg = c["agentPackage"]
assert pkg["name"] == "ultracloud-agent-0.1.0" and pkg["mainProgram"] == "ultracloud-agent", pkg
assert 'makeWrapper ' in pkg["installPhase"] and '"$out/bin/ultracloud-agent"' in pkg["installPhase"] \
    and '--add-flags "-jar $out/share/ultracloud/ultracloud-installer.jar agent"' in pkg["installPhase"], pkg["installPhase"]
PY
); then ok "configuration $host evaluates (toplevel, fileSystems, system.build)"; else ko "configuration $host" "$(cat "$tmp/err") $out"; fi
done
# fileSystems must not depend on the devices the layout is evaluated with (only known at install time)
for layout in $known; do
  fs_with() { # root device, data devices
    evaluate -E "(import $configs { modules = _: [ ({ lib, ... }: { ultracloud.disk = { layout = lib.mkForce \"$layout\"; device = \"$1\"; dataDevices = $2; }; }) ]; }).nixosConfigurations.\"cp-1\".config.fileSystems"
  }
  b=
  if a=$(fs_with "$root_dev" "$data_devs" 2>&1) && b=$(fs_with /dev/disk/by-path/pci-0000:01:00.0-nvme-1 '[ "/dev/disk/by-id/wwn-0x1" "/dev/disk/by-id/wwn-0x2" ]' 2>&1); then
    if [ "$a" = "$b" ]; then ok "configuration fileSystems of $layout do not depend on the devices"
    else ko "configuration fileSystems of $layout depend on the devices" "$(diff <(echo "$a" | python3 -m json.tool) <(echo "$b" | python3 -m json.tool))"; fi
  else ko "configuration fileSystems of $layout evaluate" "$a $b"; fi
done
# what the intent says about networks and operators reaches the installed system: the storage VLAN's
# MTU (on the VLAN and its parent link) and the cluster's operator SSH keys for root
if out=$(evaluate -E "let c = (import $configs { }).nixosConfigurations.\"cp-1\".config; in { net = c.systemd.network; keys = c.users.users.root.openssh.authorizedKeys.keys; }" 2>&1) \
   && python3 - "$out" "$lab/expected-cluster-state.json" <<'PY'
import json, sys
got, state = json.loads(sys.argv[1]), json.load(open(sys.argv[2]))
vlan = got["net"]["netdevs"]["20-uc-storage"]["netdevConfig"]
assert vlan.get("MTUBytes") == "9000", f"storage VLAN MTU {vlan}"
links = [n for n in got["net"]["networks"].values() if "uc-storage" in n.get("vlan", [])]
assert links and links[0]["linkConfig"].get("MTUBytes") == "9000", f"parent link of the storage VLAN {links}"
assert got["keys"] == state["cluster"]["operatorSshKeys"] and got["keys"], f"root's keys {got['keys']}"
PY
then ok "configuration cp-1 carries the storage MTU and the operator SSH keys"; else ko "configuration cp-1 MTU and operator keys" "$out"; fi
expect_config_throw() { # name, expected stderr substring, expression
  if evaluate -E "$3" >/dev/null 2>"$tmp/err"; then ko "configuration $1 evaluated without error"
  elif grep -qF -- "$2" "$tmp/err"; then ok "configuration $1"
  else ko "configuration $1: stderr lacks '$2'" "$(cat "$tmp/err")"; fi
}
cp1='.nixosConfigurations."cp-1".config'
expect_config_throw "with the agent and no package fails its assertion" "ultracloud.nixAgent.package must be set when the nix-agent is enabled" \
  "(import $configs { agentJar = null; })$cp1.system.build.toplevel"
# a package given explicitly wins over the one built from the jar
if out=$(evaluate -E "(import $configs { agentPackage = import $here/stubs/derivation.nix \"site-agent-2.0\"; })$cp1.systemd.services.ultracloud-nix-agent.serviceConfig.ExecStart" 2>&1) \
   && [[ "$out" == *"-site-agent-2.0/bin/ultracloud-agent --deployer "* ]]; then ok "configuration with an explicit agent package runs it"
else ko "configuration with an explicit agent package runs it" "$out"; fi
expect_config_throw "with a misspelt option fails" "The option \`ultracloud.nixAgent.enabel' does not exist" \
  "(import $configs { modules = _: [ { ultracloud.nixAgent.enabel = false; } ]; })$cp1.fileSystems"
expect_config_throw "without a disk layout has no root file system" "does not specify your root file system" \
  "(import $configs { modules = _: [ ({ lib, ... }: { ultracloud.disk.layout = lib.mkForce null; }) ]; })$cp1.system.build.toplevel"
expect_config_throw "of another name does not exist" "attribute 'nixosConfigurations.cp-1' missing" \
  "(import $configs { }).nixosConfigurations.\"nixosConfigurations.cp-1\".config.system.build.toplevel"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
