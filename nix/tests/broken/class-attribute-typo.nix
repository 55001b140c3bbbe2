# expect: nodeClasses.worker.instalProfile: unknown attribute
import ../lab-with.nix (lab: {
  nodeClasses = lab.nodeClasses // {
    worker = removeAttrs lab.nodeClasses.worker [ "installProfile" ] // { instalProfile = "standard"; };
  };
})
