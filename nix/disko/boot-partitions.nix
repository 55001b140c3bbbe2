# The boot partitions every layout starts with: a 1 MiB BIOS boot partition (GRUB on legacy boot;
# unused on UEFI) and a 1 GiB ESP at /boot. Builtins only.
{
  bios = {
    size = "1M";
    type = "EF02";
    priority = 1;
  };
  ESP = {
    size = "1G";
    type = "EF00";
    priority = 2;
    content = {
      type = "filesystem";
      format = "vfat";
      mountpoint = "/boot";
      mountOptions = [ "umask=0077" ];
    };
  };
}
