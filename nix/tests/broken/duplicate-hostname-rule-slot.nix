# expect: enrollmentRules.workers-epyc.assign.hostname (index 1): duplicate hostname "worker-1"
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-3 = lab.nodes.cp-3 // { hostname = "worker-1"; }; };
})
