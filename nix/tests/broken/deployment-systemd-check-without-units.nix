# expect: hostDeployments.control-plane.healthCheck.units: name at least one systemd unit
import ../lab-with.nix (lab: {
  hostDeployments = lab.hostDeployments // {
    control-plane = lab.hostDeployments.control-plane // { healthCheck = { type = "systemd"; units = [ ]; }; };
  };
})
