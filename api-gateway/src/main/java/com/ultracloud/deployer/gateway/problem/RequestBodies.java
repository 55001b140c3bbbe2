package com.ultracloud.deployer.gateway.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Turns a JSON body into a typed, validated request, or an {@link InvalidRequestException} naming the fields. */
@Component
public class RequestBodies {

    private final ObjectMapper json;
    private final Validator validator;

    RequestBodies(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    public <T> T read(JsonNode body, Class<T> type) {
        T value;
        try {
            value = json.treeToValue(body == null || body.isNull() ? json.createObjectNode() : body, type);
        } catch (JsonMappingException e) {
            throw InvalidRequestException.inBody(JsonPaths.of(e), JsonPaths.reason(e));
        } catch (JsonProcessingException e) {
            throw InvalidRequestException.of("$", "unreadable JSON");
        }
        validate(value);
        return value;
    }

    public <T> void validate(T value) {
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            List<FieldError> errors = violations.stream()
                    .map(v -> new FieldError(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(Comparator.comparing(FieldError::field))
                    .toList();
            throw new InvalidRequestException("invalid request body: " + errors.size() + " error(s)", errors);
        }
    }
}
