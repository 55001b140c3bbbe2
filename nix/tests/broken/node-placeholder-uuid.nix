# expect: nodes.cp-3.match.smbiosUuid: "03000200-0400-0500-0006-000700080009" is a firmware placeholder UUID
import ../lab-with.nix (lab: {
  nodes = lab.nodes // { cp-3 = lab.nodes.cp-3 // { match = { smbiosUuid = "03000200-0400-0500-0006-000700080009"; }; }; };
})
