# expect: hostDeployments.data-plane.batchSize: expected a positive integer, got 0
import ../lab-with.nix (lab: {
  hostDeployments = lab.hostDeployments // { data-plane = lab.hostDeployments.data-plane // { batchSize = 0; }; };
})
