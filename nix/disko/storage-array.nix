# The root disk as in single-ext4.nix, plus one data array over the other disks: each data disk gets one
# GPT partition that joins the mdadm array "data", formatted XFS at /srv/data.
# RAID level: 1 for 2 disks, 5 for 3, 6 for 4 or more, unless dataLevel is given.
#   disko --mode disko --argstr device /dev/disk/by-id/ata-... \
#     --arg dataDevices '[ "/dev/disk/by-id/wwn-0x..." "/dev/disk/by-id/wwn-0x..." ]' nix/disko/storage-array.nix
# Builtins only (see single-ext4.nix).
{ device, dataDevices ? [ ], dataLevel ? null, dataMountpoint ? "/srv/data", ... }:
let
  stablePath = import ./stable-path.nix;
  count = builtins.length dataDevices;
  level =
    if dataLevel != null then dataLevel
    else if count >= 4 then 6
    else if count == 3 then 5
    else 1;
  checked =
    if count < 2 then
      throw "nix/disko: storage-array needs at least 2 dataDevices, got ${toString count}"
    else if builtins.elem device dataDevices then
      throw "nix/disko: storage-array: the root device ${device} is also listed in dataDevices"
    else
      builtins.genList (i: stablePath "dataDevices[${toString i}]" (builtins.elemAt dataDevices i)) count;
  dataDisk = i: path: {
    name = "data${toString i}";
    value = {
      type = "disk";
      device = path;
      content = {
        type = "gpt";
        partitions.data = {
          size = "100%";
          content = {
            type = "mdraid";
            name = "data";
          };
        };
      };
    };
  };
  root = (import ./single-ext4.nix { inherit device; }).disko.devices;
in
{
  disko.devices = {
    disk = root.disk // builtins.listToAttrs (builtins.genList (i: dataDisk i (builtins.elemAt checked i)) count);
    mdadm.data = {
      type = "mdadm";
      inherit level;
      content = {
        type = "filesystem";
        format = "xfs";
        mountpoint = dataMountpoint;
        mountOptions = [ "noatime" ];
      };
    };
  };
}
