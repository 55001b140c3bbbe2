# expect: diskPolicies.nvme-root.rootDeviceHints.size: size must be a whole number of GiB, got "1.5"
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // {
    nvme-root = lab.diskPolicies.nvme-root // { rootDeviceHints = { size = ">= 1.5"; }; };
  };
})
