# expect: diskPolicies.nvme-root.rootDeviceHints.size: size must be a positive number of GiB, got -800
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // {
    nvme-root = lab.diskPolicies.nvme-root // { rootDeviceHints = { size = ">= -800"; }; };
  };
})
