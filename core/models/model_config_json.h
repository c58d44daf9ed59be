#pragma once

#include "core/models/denoiser.h"

#include <nlohmann/json.hpp>

namespace ddpm {

/// A ModelConfig as a JSON object (checkpoint metadata): preset, sample_shape,
/// time_embedding_dim and the numbers of the preset's family (hidden, blocks for the
/// MLP; base_channels, channel_mult, res_blocks, attention_resolutions, dropout,
/// groups for the UNet).
nlohmann::json to_json(const ModelConfig& config);

/// Reads what to_json writes. Fields of the other family may be absent; unknown
/// fields are ignored. Throws ddpm::Error naming the field when one is missing, has
/// the wrong type or an impossible value (validate_model_config).
ModelConfig model_config_from_json(const nlohmann::json& json);

}  // namespace ddpm
