# expect: diskPolicies.sata-boot.rootDeviceHints.byPath: unknown root device hint
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // {
    sata-boot = lab.diskPolicies.sata-boot // { rootDeviceHints = { byPath = "/dev/disk/by-path/pci-0000:00:17.0-ata-1"; }; };
  };
})
