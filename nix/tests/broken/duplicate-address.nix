# expect: nodes.cp-2.addresses.mgmt: duplicate address "mgmt/10.42.0.11"
import ../lab-with.nix (lab: {
  nodes = lab.nodes // {
    cp-2 = lab.nodes.cp-2 // { addresses = lab.nodes.cp-2.addresses // { mgmt = "10.42.0.11"; }; };
  };
})
