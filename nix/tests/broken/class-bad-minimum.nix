# expect: nodeClasses.storage.minimum.memoryGiB: expected a positive integer, got -1
import ../lab-with.nix (lab: {
  nodeClasses = lab.nodeClasses // {
    storage = lab.nodeClasses.storage // { minimum = lab.nodeClasses.storage.minimum // { memoryGiB = -1; }; };
  };
})
