# expect: diskPolicies.nvme-root.wipe: expected one of
import ../lab-with.nix (lab: {
  diskPolicies = lab.diskPolicies // { nvme-root = lab.diskPolicies.nvme-root // { wipe = "everything"; }; };
})
