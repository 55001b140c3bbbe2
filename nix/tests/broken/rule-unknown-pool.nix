# expect: enrollmentRules.storage-hdd.assign.pool: unknown pool "ceph"
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "storage-hdd" then r // { assign = r.assign // { pool = "ceph"; }; } else r)
    lab.enrollmentRules;
})
