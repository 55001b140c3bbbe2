# One disk, GPT: BIOS boot partition, a 1 GiB ESP at /boot and btrfs on the rest with subvolumes
# @root (/), @nix (/nix), @home (/home), @log (/var/log); zstd compression, noatime.
#   disko --mode disko --argstr device /dev/disk/by-id/... nix/disko/single-btrfs.nix
# Builtins only (see single-ext4.nix).
{ device, ... }:
let
  stablePath = import ./stable-path.nix;
  mountOptions = [ "compress=zstd" "noatime" ];
in
{
  disko.devices.disk.main = {
    type = "disk";
    device = stablePath "device" device;
    content = {
      type = "gpt";
      partitions = import ./boot-partitions.nix // {
        root = {
          size = "100%";
          content = {
            type = "btrfs";
            extraArgs = [ "-f" ];
            subvolumes = {
              "@root" = { mountpoint = "/"; inherit mountOptions; };
              "@nix" = { mountpoint = "/nix"; inherit mountOptions; };
              "@home" = { mountpoint = "/home"; inherit mountOptions; };
              "@log" = { mountpoint = "/var/log"; inherit mountOptions; };
            };
          };
        };
      };
    };
  };
}
