# expect: hostDeployments.control-plane.selector.pools[0]: unknown pool "controlplane"
import ../lab-with.nix (lab: {
  hostDeployments = lab.hostDeployments // {
    control-plane = lab.hostDeployments.control-plane // { selector.pools = [ "controlplane" ]; };
  };
})
