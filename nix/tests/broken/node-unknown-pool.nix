# expect: nodes.cp-1.pool: unknown pool "cp"
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-1 = lab.nodes.cp-1 // { pool = "cp"; }; };
})
