# expect: nodeClasses.worker.installProfile: unknown profile "wrker"
import ../lab-with.nix (lab: {
  nodeClasses = lab.nodeClasses // {
    worker = lab.nodeClasses.worker // { installProfile = "wrker"; };
  };
})
