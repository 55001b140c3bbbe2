# expect: diskPolicies.sata-boot.rootDeviceHints.model: <or> needs at least one value
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // {
    sata-boot = lab.diskPolicies.sata-boot // { rootDeviceHints = { model = "<or>"; }; };
  };
})
