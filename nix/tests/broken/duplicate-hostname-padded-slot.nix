# expect: enrollmentRules.workers-more.assign.hostname (index 10): duplicate hostname "wk-10" (already used by nodes.cp-3.hostname)
# the slots of a rule are its rendered names: from firstIndex 9, zero-padded to 2 digits: wk-09, wk-10
import ../lab-with.nix (lab: {
  enrollmentRules = map
    (r: if r.name == "workers-more" then r // { maxCount = 2; assign = r.assign // { firstIndex = 9; }; } else r)
    lab.enrollmentRules;
  nodes = lab.nodes // { cp-3 = lab.nodes.cp-3 // { hostname = "wk-10"; }; };
})
