# expect: nodeClasses.worker.minimum.nicSpeedMbps: expected a positive integer, got "25G"
import ../lab-with.nix (lab: {
  nodeClasses = lab.nodeClasses // {
    worker = lab.nodeClasses.worker // { minimum = lab.nodeClasses.worker.minimum // { nicSpeedMbps = "25G"; }; };
  };
})
