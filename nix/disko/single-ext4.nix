# One disk, GPT: a BIOS boot partition (GRUB on legacy boot; unused on UEFI), a 1 GiB ESP at /boot and
# ext4 on the rest at /.
# A function of the resolved root device, as disko's CLI calls it:
#   disko --mode disko --argstr device /dev/disk/by-id/nvme-... nix/disko/single-ext4.nix
# Builtins only: evaluable with plain nix-instantiate (no nixpkgs), see nix/tests/run.sh.
{ device, ... }:
let
  stablePath = import ./stable-path.nix;
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
            type = "filesystem";
            format = "ext4";
            mountpoint = "/";
          };
        };
      };
    };
  };
}
