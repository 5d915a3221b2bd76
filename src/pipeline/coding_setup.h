// Loading a coding setup with the user dictionary given as text: what the
// corrections use to try an edit before saving it. Internal to the library.
#ifndef DYAD_PIPELINE_CODING_SETUP_H_
#define DYAD_PIPELINE_CODING_SETUP_H_

#include <string>

#include "dyad/ingest.h"

namespace dyad::pipeline {

// LoadCodingSetup (dyad/ingest.h) with the user dictionary `user_dict`;
// when `user_text` is not null it is the file's content (errors still name
// `user_dict`), else the file is read ("" or a missing file: none).
Result<CodingSetup> LoadCodingSetup(const std::string& dict_dir, CoderOptions options,
                                    const std::string& user_dict, const std::string* user_text);

}  // namespace dyad::pipeline

#endif  // DYAD_PIPELINE_CODING_SETUP_H_
