# expect: hostDeployments.control-plane.rollbackPolicy: expected one of
import ../lab-with.nix (lab: {
  hostDeployments = lab.hostDeployments // { control-plane = lab.hostDeployments.control-plane // { rollbackPolicy = "yes"; }; };
})
