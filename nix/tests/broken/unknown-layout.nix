# expect: diskPolicies.nvme-root.layout: unknown layout "single-xfs"
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // { nvme-root = lab.diskPolicies.nvme-root // { layout = "single-xfs"; }; };
})
