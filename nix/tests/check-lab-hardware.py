#!/usr/bin/env python3
"""Checks that the lab hardware files (DESIGN §8.1 discover requests) agree with the lab intent.

usage: check-lab-hardware.py CLUSTER_STATE_JSON HARDWARE_DIR

A reference reading of the exported cluster state, kept deliberately small:
  * identity: fingerprint = "smbios:<uuid>" for a real SMBIOS UUID, else "mac:<lowest permanent MAC>"
    (MachineFingerprint.java); a file named after a fixed node must carry that node's fingerprint,
    and the MACs its addresses are bound to must be NICs of the machine.
  * every other file must be matched by an enrollment rule (first match wins, fixed nodes first)
    whose hostname pattern ({index} or {index:0N}, from firstIndex) can produce the file's name.
  * the machine meets its class requirements (InspectionCheck.java semantics).
  * the root device hints (the node's own, else its profile's disk policy's) match exactly one
    non-removable disk (Ironic semantics: size compared with the exact size in GiB, never rounded;
    strings trimmed and case-insensitive).
"""
import json
import os
import re
import sys

PLACEHOLDERS = {"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "03000200-0400-0500-0006-000700080009", "12345678-1234-5678-90ab-cddeefaabbcc"}
GIB = 1 << 30


def fingerprint(hw):
    uuid = (hw.get("identity") or {}).get("smbiosUuid")
    if uuid and uuid.lower() not in PLACEHOLDERS:
        return "smbios:" + uuid.lower()
    return "mac:" + min(n["permanentMac"].lower() for n in hw["nics"] if n.get("permanentMac"))


def string_match(matcher, value):
    if matcher is None:
        return True
    if value is None:
        return False
    v = value.strip().lower()
    vals = [x.strip().lower() for x in matcher["values"]]
    op = matcher["operator"]
    return {"s==": v == vals[0], "s!=": v != vals[0], "<in>": vals[0] in v, "<or>": v in vals}[op]


def numeric_match(op, have, want):
    return {"==": have == want, "!=": have != want, ">=": have >= want, "<=": have <= want,
            ">": have > want, "<": have < want}[op]


DISK_FIELD = {"name": "name", "model": "model", "vendor": "vendor", "serial": "serial", "wwn": "wwn",
              "wwnWithExtension": "wwnWithExtension", "wwnVendorExtension": "wwnVendorExtension",
              "hctl": "hctl", "byPath": "byPath"}


def hint_match(hint, disk):
    name, op, values = hint["hint"], hint["operator"], hint["values"]
    if name == "size":
        return disk.get("sizeBytes") is not None and numeric_match(op, disk["sizeBytes"] / GIB, values[0])
    if name == "rotational":
        return disk.get("rotational") == values[0]
    if name == "byPath":  # a hint may name the full path or the by-path link name
        have = disk.get("byPath") or ""
        return string_match(hint, have) or string_match(hint, have.rsplit("/", 1)[-1])
    return string_match(hint, disk.get(DISK_FIELD[name]))


def fixed_disks(hw):
    return [d for d in hw["disks"] if not d.get("removable")]


def rule_matches(rule, hw):
    m = rule["match"]
    macs = {n.get("permanentMac", "").lower() for n in hw["nics"]} | {n.get("mac", "").lower() for n in hw["nics"]}
    ident = hw.get("identity") or {}
    if m["macs"] is not None and not macs & set(m["macs"]):
        return False
    if m["dmi"] is not None:
        for key, field in (("vendor", "vendor"), ("product", "product"), ("serial", "systemSerial")):
            if not string_match(m["dmi"][key], ident.get(field)):
                return False
    for d in m["disks"] or []:  # each selector counts on its own
        ok = [x for x in fixed_disks(hw)
              if (d["minSizeBytes"] is None or (x.get("sizeBytes") or 0) >= d["minSizeBytes"])
              and (d["rotational"] is None or x.get("rotational") == d["rotational"])
              and string_match(d["model"], x.get("model"))]
        if len(ok) < d["minCount"]:
            return False
    if m["nics"] is not None:
        n = m["nics"]
        ok = [x for x in hw["nics"]
              if (n["minSpeedMbps"] is None or (x.get("speedMbps") or 0) >= n["minSpeedMbps"])
              and string_match(n["driver"], x.get("driver"))]
        if len(ok) < n["minCount"]:
            return False
    if m["minCpuThreads"] is not None and (hw["cpu"].get("threads") or 0) < m["minCpuThreads"]:
        return False
    if m["minMemoryBytes"] is not None and (hw.get("memoryBytes") or 0) < m["minMemoryBytes"]:
        return False
    return m["machineIds"] is None  # machine ids are not known before the deployer derives them


def render_hostname(pattern, index):
    return re.sub(r"\{index(?::0([1-9]))?}", lambda m: str(index).zfill(int(m.group(1) or 1)), pattern)


def unmet_requirements(hw, req):
    unmet = []
    disks = fixed_disks(hw)
    if req["minCpuThreads"] is not None and hw["cpu"]["threads"] < req["minCpuThreads"]:
        unmet.append("cpu threads")
    if req["minMemoryBytes"] is not None and hw["memoryBytes"] < req["minMemoryBytes"]:
        unmet.append("memory")
    if req["minDisks"] is not None and len(disks) < req["minDisks"]:
        unmet.append("disk count")
    if req["minDiskBytes"] is not None and max((d["sizeBytes"] for d in disks), default=0) < req["minDiskBytes"]:
        unmet.append("largest disk")
    if req["minNics"] is not None and len(hw["nics"]) < req["minNics"]:
        unmet.append("nic count")
    if req["minCpuCores"] is not None and (hw["cpu"].get("cores") or 0) < req["minCpuCores"]:
        unmet.append("cpu cores")
    if req["minNicSpeedMbps"] is not None and max((n.get("speedMbps") or 0 for n in hw["nics"]), default=0) < req["minNicSpeedMbps"]:
        unmet.append("nic speed")
    return unmet


def main(state_path, hw_dir):
    state = json.load(open(state_path))
    classes = {c["name"]: c for c in state["nodeClasses"]}
    profiles = {p["name"]: p for p in state["installProfiles"]}
    policies = {d["name"]: d for d in state["diskPolicies"]}
    nodes_by_fp = {n["fingerprint"]: n for n in state["nodes"]}
    errors = []
    files = sorted(f for f in os.listdir(hw_dir) if f.endswith(".json"))
    if len(files) != 6:
        errors.append(f"expected 6 hardware files, found {len(files)}")
    for f in files:
        name = f[:-5]
        hw = json.load(open(os.path.join(hw_dir, f)))
        fp = fingerprint(hw)
        node = nodes_by_fp.get(fp)
        hints = None
        if node is not None:
            if node["hostname"] != name:
                errors.append(f"{f}: fingerprint {fp} belongs to node {node['hostname']}")
            nic_macs = {n["permanentMac"] for n in hw["nics"]}
            for a in node["addresses"]:
                if a["mac"] is not None and a["mac"] not in nic_macs:
                    errors.append(f"{f}: address {a['address']} is bound to {a['mac']}, not a NIC of this machine")
            cls = node["nodeClass"]
            hints = node["rootDeviceHints"]
        else:
            if any(n["hostname"] == name for n in state["nodes"]):
                errors.append(f"{f}: fingerprint {fp} matches no node (expected node {name})")
                continue
            rule = next((r for r in state["enrollmentRules"] if rule_matches(r, hw)), None)
            if rule is None:
                errors.append(f"{f}: no enrollment rule matches")
                continue
            first, count = rule["assign"]["firstIndex"], rule["maxCount"] or 1
            names = [render_hostname(rule["assign"]["hostnamePattern"], first + i) for i in range(count)]
            if name not in names:
                errors.append(f"{f}: matched rule {rule['name']}, which names machines {names}")
            cls = rule["assign"]["nodeClass"]
        unmet = unmet_requirements(hw, classes[cls]["requirements"])
        if unmet:
            errors.append(f"{f}: does not meet class {cls}: {', '.join(unmet)}")
        policy = policies[profiles[classes[cls]["installProfile"]]["diskPolicy"]]
        source = f"node {node['nodeId']}" if hints is not None else f"disk policy {policy['name']}"
        hints = hints if hints is not None else policy["rootDeviceHints"]
        roots = [d for d in fixed_disks(hw) if all(hint_match(h, d) for h in hints)]
        if len(roots) != 1:
            errors.append(f"{f}: the hints of {source} match {[d['name'] for d in roots]}, expected exactly one disk")
        removable_hits = [d["name"] for d in hw["disks"] if d.get("removable")
                          and all(hint_match(h, d) for h in hints)]
        if removable_hits:
            errors.append(f"{f}: hints would also match removable {removable_hits}")
        for d in hw["disks"]:
            if not any(p.startswith("/dev/disk/by-id/") for p in d["byId"]):
                errors.append(f"{f}: disk {d['name']} has no /dev/disk/by-id path")
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
