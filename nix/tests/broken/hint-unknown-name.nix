# expect: diskPolicies.sata-boot.rootDeviceHints.modell: unknown root device hint
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // {
    sata-boot = lab.diskPolicies.sata-boot // { rootDeviceHints = { modell = "<in> Micron_5300"; }; };
  };
})
