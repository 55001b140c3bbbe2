# Stand-in for disko's NixOS module (github:nix-community/disko module.nix), for nix/tests only: turns
# disko.devices into the NixOS settings disko derives from them, for the device types nix/disko uses,
# following disko's sources (lib/types/*.nix, checked at commit 878ec37d of 2026-03-14):
#  - disk.nix: a disk's name is its attribute name; its content gets the disk's device;
#  - gpt.nix: a partition's device is /dev/disk/by-partlabel/<label>, label "<parent type>-<parent
#    name>-<partition name>" ("disk-main-root"; the first 36 characters of its sha256 when longer);
#    an EF02 (BIOS boot) partition adds boot.loader.grub.devices = [ <the disk's device> ];
#  - filesystem.nix: a mountpoint gives fileSystems.<mountpoint> = { device; fsType = format; options =
#    mountOptions (default [ "defaults" ]) };
#  - btrfs.nix: each subvolume with a mountpoint: fsType btrfs, options mountOptions ++ [ "subvol=<name>" ];
#  - mdraid.nix: a member of an array, no settings; mdadm.nix: the array's device is /dev/md/<name>, and
#    it sets boot.swraid.enable = true;
#  - module.nix: fileSystems, boot and swapDevices come from those when disko.enableConfig (default true);
#    system.build gets the disko scripts (here fake derivations, and only the main ones).
# Attributes that disko's types do not declare are refused, as disko's submodules would. Other device
# types (zpool, lvm_vg, luks, ...), partition uuids, GPT inside mdadm and udev escaping of odd labels
# are not modelled: they throw instead of giving an answer that might differ from disko's.
{ config, lib, ... }:
let
  b = builtins;
  inherit (lib) mkOption mkIf mkMerge types;
  cfg = config.disko;
  fail = path: msg: throw "disko (test stub): ${path}: ${msg}";

  # option names of disko's types (lib/types/<type>.nix); "partition" and "subvolume" are the
  # submodules in gpt.nix and btrfs.nix
  declared = {
    disk = [ "type" "name" "device" "destroy" "imageName" "imageSize" "content" ];
    gpt = [ "type" "device" "partitions" "efiGptPartitionFirst" ];
    partition = [ "type" "attributes" "device" "priority" "name" "uuid" "label" "size" "alignment" "start" "end" "content" "hybrid" ];
    filesystem = [ "type" "device" "extraArgs" "mountOptions" "mountpoint" "format" ];
    btrfs = [ "type" "device" "extraArgs" "mountOptions" "subvolumes" "mountpoint" "swap" ];
    subvolume = [ "name" "type" "extraArgs" "mountOptions" "mountpoint" "swap" ];
    mdraid = [ "type" "device" "name" ];
    mdadm = [ "name" "type" "level" "metadata" "content" "extraArgs" ];
  };
  checked = path: kind: v:
    let extra = if b.isAttrs v then b.filter (n: !b.elem n declared.${kind}) (b.attrNames v) else [ ];
    in if !b.isAttrs v then fail path "expected an attribute set (a ${kind}), got a ${b.typeOf v}"
    else if extra != [ ] then fail "${path}.${b.head extra}" "the option does not exist (a ${kind} has ${lib.concatStringsSep ", " declared.${kind}})"
    else v;
  absolute = path: p: if b.isString p && lib.hasPrefix "/" p then p else fail path "expected an absolute path, got ${b.toJSON p}";
  mountOptions = v: v.mountOptions or [ "defaults" ];
  fileSystem = path: mountpoint: value: { fileSystems.${absolute "${path}.mountpoint" mountpoint} = value; };

  # the NixOS settings (a list of fragments) of one content on `device`; parent = { type, name }
  content = path: parent: device: c:
    let type = c.type or (fail "${path}.type" "is required"); in
    if type == "gpt" then gpt path parent (checked path "gpt" c)
    else if type == "filesystem" then
      let fs = checked path "filesystem" c; in
      lib.optional ((fs.mountpoint or null) != null)
        (fileSystem path fs.mountpoint { device = fs.device or device; fsType = fs.format; options = mountOptions fs; })
    else if type == "btrfs" then
      let
        fs = checked path "btrfs" c;
        dev = fs.device or device;
        subvolumes = fs.subvolumes or { };
      in
      b.concatMap
        (n:
          let sv = checked "${path}.subvolumes.${n}" "subvolume" subvolumes.${n}; in
          lib.optional ((sv.mountpoint or null) != null)
            (fileSystem "${path}.subvolumes.${n}" sv.mountpoint { device = dev; fsType = "btrfs"; options = mountOptions sv ++ [ "subvol=${sv.name or n}" ]; }))
        (b.attrNames subvolumes)
      ++ lib.optional ((fs.mountpoint or null) != null)
        (fileSystem path fs.mountpoint { device = dev; fsType = "btrfs"; options = mountOptions fs; })
    else if type == "mdraid" then b.seq (checked path "mdraid" c) [ ]
    else fail "${path}.type" "content type ${b.toJSON type} is not modelled by the test stub";

  gpt = path: parent: t:
    let
      partitions = t.partitions or { };
      partition = n:
        let
          p = checked "${path}.partitions.${n}" "partition" partitions.${n};
          full = "${parent.type}-${parent.name}-${p.name or n}";
          label = p.label or (if b.stringLength full > 36 then b.substring 0 36 (b.hashString "sha256" full) else full);
          size = p.size or "0";
        in
        if parent.type != "disk" then fail path "GPT inside ${parent.type} is not modelled by the test stub"
        else if p ? uuid then fail "${path}.partitions.${n}.uuid" "partition uuids are not modelled by the test stub"
        else if b.match "[0-9A-Za-z#+.:=@_/-]*" label == null then fail "${path}.partitions.${n}.label" "labels that udev escapes are not modelled by the test stub"
        else if b.match "100%|[0-9]+[KMGTP]?" size == null then fail "${path}.partitions.${n}.size" "expected \"100%\" or a size like \"1G\", got ${b.toJSON size}"
        else if b.match "[A-Fa-f0-9]{4}|[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}" (p.type or "8300") == null
        then fail "${path}.partitions.${n}.type" "expected a GPT type code or GUID, got ${b.toJSON p.type}"
        else lib.optionals (p ? content) (content "${path}.partitions.${n}.content" { type = "gpt"; name = n; } (p.device or "/dev/disk/by-partlabel/${label}") p.content);
    in
    b.concatMap partition (b.attrNames partitions)
    ++ lib.optional (b.any (n: (partitions.${n}.type or null) == "EF02") (b.attrNames partitions))
      { boot.loader.grub.devices = [ t.device or parent.device ]; };

  devices = cfg.devices;
  unknownKinds = b.filter (k: !b.elem k [ "disk" "mdadm" ]) (b.attrNames devices);
  fragments =
    if unknownKinds != [ ] then fail "disko.devices.${b.head unknownKinds}" "not modelled by the test stub (only disk and mdadm)"
    else
      b.concatMap
        (n:
          let d = checked "disko.devices.disk.${n}" "disk" devices.disk.${n}; in
          lib.optionals (d ? content)
            (content "disko.devices.disk.${n}.content" { type = "disk"; name = d.name or n; device = absolute "disko.devices.disk.${n}.device" d.device; } d.device d.content))
        (b.attrNames (devices.disk or { }))
      ++ b.concatMap
        (n:
          let a = checked "disko.devices.mdadm.${n}" "mdadm" devices.mdadm.${n}; name = a.name or n; in
          [{ boot.swraid.enable = true; }]
          ++ lib.optionals (a ? content) (content "disko.devices.mdadm.${n}.content" { type = "mdadm"; inherit name; } "/dev/md/${name}" a.content))
        (b.attrNames (devices.mdadm or { }));
  # as disko's toplevel _config: each top-level key of the fragments, merged
  derived = lib.genAttrs (lib.unique (b.concatMap b.attrNames fragments)) (key: mkMerge (b.catAttrs key fragments));

  script = name: if (devices.disk or { }) == { } then throw "No disks defined, did you forget to import your disko config?" else import ./derivation.nix name;
in
{
  options.disko = {
    devices = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; };
    enableConfig = mkOption { type = types.bool; default = true; };
  };
  config = {
    fileSystems = mkIf cfg.enableConfig (derived.fileSystems or { });
    boot = mkIf cfg.enableConfig (derived.boot or { });
    swapDevices = mkIf cfg.enableConfig (derived.swapDevices or [ ]);
    system.build = lib.genAttrs [ "diskoScript" "formatScript" "mountScript" "destroyScript" "format" "mount" "unmount" "destroy" ] (n: script "disko-${n}");
  };
}
