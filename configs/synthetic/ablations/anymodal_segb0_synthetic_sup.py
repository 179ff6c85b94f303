# Table 3 on synthetic data: L_sup only (anymodal dropout as the students train, no teacher).
_base_ = ['../pml_segb0_synthetic.py']
model = dict(data_preprocessor={{_base_.student_data_preprocessor}})
