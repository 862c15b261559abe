"""Security assessments of gated features (MB-13, PA-12.1): the chief editor files one for a feature's
version with the national office or a province's (a filing of kind ``security_assessment``); the office's
acknowledgement, with its receipt number, puts it in force and is announced on ``regulator.assessment.v1``
(what opens the feature's gate where it is offered); a withdrawal takes it out of force. What is in force
is announced again now and then, and at once after the broker lost its state."""
