# expect: nodeClasses.worker.minimum.cpuCores: expected a positive integer, got 0
import ../lab-with.nix (lab: {
  nodeClasses = lab.nodeClasses // {
    worker = lab.nodeClasses.worker // { minimum = lab.nodeClasses.worker.minimum // { cpuCores = 0; }; };
  };
})
