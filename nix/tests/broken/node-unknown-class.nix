# expect: nodes.cp-2.nodeClass: unknown node class "controlplane"
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-2 = lab.nodes.cp-2 // { nodeClass = "controlplane"; }; };
})
