# expect: diskPolicies.sata-boot.rootDeviceHints.vendor: operator "<is>" is not allowed on a string
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // {
    sata-boot = lab.diskPolicies.sata-boot // { rootDeviceHints = { vendor = "<is> ATA"; }; };
  };
})
