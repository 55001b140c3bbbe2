# The installed system's disks, from the same nix/disko layout the installer partitions with
# (`disko --argstr layout <diskLayout> --argstr device <resolved root> nix/disko`). Needs disko's NixOS
# module (nix/lib/nixos-configurations.nix imports it), which turns disko.devices into fileSystems.
#
# The root device is resolved on the machine at install time, so the configuration is evaluated with
# a placeholder device. That is sound for fileSystems: disko mounts GPT partitions by partition label
# (/dev/disk/by-partlabel/disk-main-root, disko lib/types/gpt.nix) and md arrays by name (/dev/md/data,
# lib/types/mdadm.nix), never by the disk's path; nix/tests/run.sh checks that fileSystems do not
# change with the device. The one setting disko derives from the device is boot.loader.grub.devices
# (for the BIOS boot partition): the placeholder must never reach grub-install, so GRUB is installed
# for UEFI only, into the ESP at the removable-media path (no NVRAM entry needed). Machines that boot
# in legacy BIOS mode are not served by these configurations.
{ config, lib, ... }:
let
  inherit (lib) mkOption mkIf mkDefault mkForce types;
  cfg = config.ultracloud.disk;
  placeholder = name: "/dev/disk/by-id/ultracloud-placeholder-${name}";
in
{
  options.ultracloud.disk = {
    layout = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = "nix/disko layout name (the disk policy's layout, nodeModuleArgs.<host>.diskLayout); null: no disk settings.";
    };
    device = mkOption {
      type = types.str;
      default = placeholder "root";
      description = "Root device the layout is evaluated with; the real one is only known at install time.";
    };
    dataDevices = mkOption {
      type = types.listOf types.str;
      default = [ (placeholder "data-0") (placeholder "data-1") ];
      description = "Data devices for the storage-array layout; the real ones are only known at install time.";
    };
  };

  config = mkIf (cfg.layout != null) {
    disko.devices = (import ../disko { inherit (cfg) layout device dataDevices; }).disko.devices;
    boot.loader.grub = {
      devices = mkForce [ "nodev" ];
      efiSupport = mkDefault true;
      efiInstallAsRemovable = mkDefault true;
    };
  };
}
