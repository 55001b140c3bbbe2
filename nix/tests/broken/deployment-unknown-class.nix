# expect: hostDeployments.data-plane.selector.nodeClasses[1]: unknown node class "ceph"
import ../lab-with.nix (lab: {
  hostDeployments = lab.hostDeployments // {
    data-plane = lab.hostDeployments.data-plane // { selector.nodeClasses = [ "worker" "ceph" ]; };
  };
})
