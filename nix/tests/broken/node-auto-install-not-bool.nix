# expect: nodes.cp-2.autoInstall: expected true or false, got "yes"
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-2 = lab.nodes.cp-2 // { autoInstall = "yes"; }; };
})
