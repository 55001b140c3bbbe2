# expect: diskPolicies.nvme-root.rootDeviceHints.size: operator "=" is not allowed on size
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // {
    nvme-root = lab.diskPolicies.nvme-root // { rootDeviceHints = { size = "= 800"; rotational = false; }; };
  };
})
