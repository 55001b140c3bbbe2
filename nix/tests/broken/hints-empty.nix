# expect: diskPolicies.sata-boot.rootDeviceHints: at least one hint is required
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // {
    sata-boot = lab.diskPolicies.sata-boot // { rootDeviceHints = { }; };
  };
})
