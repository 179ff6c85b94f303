# The three AnySeg distillation terms with the paper's weights (eqs. 4-8: lambda=50,
# alpha=5, beta=10), read as the paper writes them, since the authors' repository
# (zhengxuJosh/AnySeg) releases no distillation-loss code (README, "Paper vs released code").
# eq. 6, pixel KL summed over classes, at the input resolution where the authors' model
# compares its logits (seg_block_select_UMD.py upsamples before any loss).
mad_loss = dict(type='ModalityAgnosticDistillLoss', loss_weight=50.0, channel_reduction='sum',
                resolution='input')
# eq. 4, channel-softmax KL summed over channels and over each sample's kept modalities.
umd_loss = dict(type='UnimodalDistillLoss', loss_weight=5.0, channel_reduction='sum',
                modality_reduction='sum')
# eq. 5, one similarity per sample, modality pair and stage (flattened features), averaged
# over the samples that kept the pair; Bernoulli KL (README, "CMD") summed over pairs.
cmd_loss = dict(type='CrossModalDistillLoss', loss_weight=10.0, granularity='global',
                mode='bernoulli')
