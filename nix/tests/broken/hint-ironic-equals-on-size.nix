# expect: diskPolicies.nvme-root.rootDeviceHints.size: operator "=" is not allowed on size: Ironic reads "= 800" as ">= 800"; write ">= 800" for at least 800 GiB or "== 800" (or 800) for exactly 800 GiB
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // {
    nvme-root = lab.diskPolicies.nvme-root // { rootDeviceHints = { size = "= 800"; rotational = false; }; };
  };
})
