# expect: diskPolicies.sata-boot.rootDeviceHints.model: operator ">=" is not allowed on a string
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // {
    sata-boot = lab.diskPolicies.sata-boot // { rootDeviceHints = { model = ">= Micron_5300"; }; };
  };
})
