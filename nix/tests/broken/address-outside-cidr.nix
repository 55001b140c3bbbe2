# expect: nodes.cp-1.addresses.storage: address 10.44.0.11 is outside network storage (10.43.0.0/24)
import ../lab-with.nix (lab: {
  nodes = lab.nodes // {
    cp-1 = lab.nodes.cp-1 // { addresses = lab.nodes.cp-1.addresses // { storage = "10.44.0.11"; }; };
  };
})
