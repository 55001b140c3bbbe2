# expect: nodes.cp-3.addresses.backup: unknown network "backup"
import ../lab-with.nix (lab: {
  nodes = lab.nodes // {
    cp-3 = lab.nodes.cp-3 // { addresses = lab.nodes.cp-3.addresses // { backup = "10.44.0.13"; }; };
  };
})
