# expect: nodes.cp-3.nodeId: duplicate node id "cp-1"
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-3 = lab.nodes.cp-3 // { nodeId = "cp-1"; }; };
})
