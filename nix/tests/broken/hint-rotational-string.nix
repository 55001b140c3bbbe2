# expect: diskPolicies.nvme-root.rootDeviceHints.rotational: expected true or false, got "false"
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // {
    nvme-root = lab.diskPolicies.nvme-root // { rootDeviceHints = { size = ">= 800"; rotational = "false"; }; };
  };
})
